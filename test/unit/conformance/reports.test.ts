import { describe, expect, it } from 'vitest';
import { selectCases } from '../../../harness/conformance/catalogue.js';
import { deviationFor } from '../../../harness/conformance/deviations.js';
import { caseTimelineSvg, conformanceHtml } from '../../../harness/conformance/report/html.js';
import { conformanceJson } from '../../../harness/conformance/report/json.js';
import { conformanceJunit } from '../../../harness/conformance/report/junit.js';
import { matrixText } from '../../../harness/conformance/report/matrix.js';
import type { CaseResult, ImplementationResults } from '../../../harness/conformance/types.js';

const base = { rfc: '5798 §7.1', durationMs: 1234, packets: [], timeline: [] };
const c = (id: string, status: CaseResult['status'], extra: Partial<CaseResult> = {}): CaseResult => ({
  id,
  caseId: id.split('/')[0] as string,
  title: `title of ${id} <&>`,
  status,
  detail: `detail ${status}`,
  measurements: {},
  ...base,
  ...extra,
});

const runs: ImplementationResults[] = [
  {
    name: 'vrrpd',
    wallMs: 60_000,
    cases: [
      c('R1/v3-ipv4', 'pass', {
        measurements: { maxGapMs: 101.5 },
        packets: [{ tMs: 12.5, summary: 'VRRPv3 10.0.0.1 > 224.0.0.18 ttl 254' }],
        timeline: [
          { tMs: 0, actor: 'tester', label: 'stimulus' },
          { tMs: 100, actor: 'dut', label: 'advert' },
        ],
      }),
      c('T3/v3-ipv4-vmac', 'skip', { detail: 'vrrpd: use_vmac not implemented yet (issue 9)' }),
    ],
  },
  {
    name: 'keepalived',
    wallMs: 70_000,
    cases: [
      c('R1/v3-ipv4', 'fail', { detail: 'a gap of 360 ms > 230 ms' }),
      c('T3/v3-ipv4-vmac', 'deviation', { reference: 'keepalived.conf(5)' }),
    ],
  },
];

describe('conformance reports', () => {
  it('conformance.json has {implementations: [{name, cases: [{id, rfc, title, status, detail, measurements}]}]}', () => {
    const j = conformanceJson(runs, new Date(0));
    expect(j.implementations.map((i) => i.name)).toEqual(['vrrpd', 'keepalived']);
    const r1 = j.implementations[0]?.cases[0];
    expect(r1).toMatchObject({ id: 'R1/v3-ipv4', rfc: '5798 §7.1', status: 'pass', measurements: { maxGapMs: 101.5 } });
    expect(j.implementations[1]?.cases[1]?.reference).toBe('keepalived.conf(5)');
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it('junit.xml counts failures and skips per implementation; a deviation is not a failure', () => {
    const x = conformanceJunit(runs);
    expect(x).toContain('<testsuites name="vrrp-lab conform" tests="4" failures="1" skipped="1"');
    expect(x).toContain('<testsuite name="vrrp-lab.conform.keepalived" tests="2" failures="1" skipped="0"');
    expect(x).toContain('<failure message="a gap of 360 ms &gt; 230 ms"');
    expect(x).toContain('<skipped message="vrrpd: use_vmac not implemented yet (issue 9)"/>');
    expect(x).toContain('reference: keepalived.conf(5)');
    expect(x).toContain('title of R1/v3-ipv4 &lt;&amp;&gt;');
  });

  it('conformance.html has the matrix, escaped text, evidence and a timeline per case', () => {
    const h = conformanceHtml(runs, new Date(0));
    expect(h).toContain('<th>vrrpd</th><th>keepalived</th>');
    expect(h).toContain('href="#c-keepalived-R1_v3-ipv4"');
    expect(h).toContain('id="c-vrrpd-R1_v3-ipv4"');
    expect(h).toContain('title of R1/v3-ipv4 &lt;&amp;&gt;');
    expect(h).not.toContain('<&>');
    expect(h).toContain('VRRPv3 10.0.0.1 &gt; 224.0.0.18 ttl 254');
    expect(h).toContain('class="case-timeline"');
    expect(h).toContain('Reference: keepalived.conf(5)');
  });

  it('the timeline SVG has a lane per actor and a mark per event', () => {
    const svg = caseTimelineSvg([
      { tMs: 0, actor: 'tester', label: 'stimulus' },
      { tMs: 360, actor: 'dut', label: 'advert' },
    ]);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('>tester</text>');
    expect(svg).toContain('0.3600 s dut: advert');
    expect(caseTimelineSvg([])).toBe('');
  });

  it('the matrix shows every variant for every implementation and the totals', () => {
    const m = matrixText(runs);
    expect(m.split('\n')[0]).toMatch(/^case\s+vrrpd\s+keepalived$/);
    expect(m).toMatch(/R1\/v3-ipv4\s+pass\s+FAIL/);
    expect(m).toMatch(/T3\/v3-ipv4-vmac\s+skip\s+dev/);
    expect(m).toMatch(/fail\s+0\s+1/);
  });

  it('selects a case with all its variants, or one variant; unknown names are reported', () => {
    expect(selectCases(['R1']).selected.map((v) => v.id)).toEqual(['R1/v3-ipv4', 'R1/v2-ipv4', 'R1/v3-ipv4-unicast']);
    expect(selectCases(['S4/v3-ipv6']).selected.map((v) => v.id)).toEqual(['S4/v3-ipv6']);
    expect(selectCases(['R99', 'T1']).unknown).toEqual(['R99']);
  });

  it('a deviation is never granted to vrrpd', () => {
    expect(deviationFor('keepalived', 'R14/v3-ipv4')).toBeDefined();
    expect(deviationFor('vrrpd', 'R14/v3-ipv4')).toBeUndefined();
  });
});
