import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../harness/reports/html.js';
import { summaryTable } from '../../../harness/reports/summary-table.js';
import { renderTimelineSvg, stateSegments, tickStepS } from '../../../harness/reports/svg-timeline.js';
import { TimelineBuilder } from '../../../harness/scenario/synthetic-timeline.js';
import { failoverResult, passResult, skippedResult, VIP } from './fixtures.js';

describe('timeline SVG', () => {
  const svg = renderTimelineSvg(failoverResult().timeline, { title: 'failover' });

  it('has a lane per router (not the client) and a VIP holder lane', () => {
    expect(svg.match(/class="lane node-lane"/g)).toHaveLength(3);
    expect(svg).toContain('data-host="r1"');
    expect(svg).not.toContain('data-host="cl"');
    expect(svg).toContain(`data-vip="${VIP}"`);
  });

  it('colours node states, marks the bad holder windows red, and draws adverts, GARPs and faults', () => {
    for (const s of ['INIT', 'BACKUP', 'MASTER', 'FAULT']) expect(svg).toContain(`class="state state-${s}"`);
    // 0–3.7 s nobody, 8.90–8.92 s r1 + r2: two bad windows; r1 alone and r2 alone: good ones.
    expect(svg.match(/class="holders holders-bad"/g)).toHaveLength(2);
    expect(svg.match(/class="holders holders-ok"/g)).toHaveLength(2);
    expect(svg).toContain('<title>r1 + r2: 8.900 s for 20.0 ms</title>');
    expect(svg.match(/class="advert"/g)?.length).toBe(8 + 16);
    expect(svg.match(/class="garp"/g)).toHaveLength(10);
    expect(svg).toContain('crash r1 &lt;&amp;&gt; @5.30s');
  });

  it('has a time axis in seconds with round ticks', () => {
    expect(tickStepS(12)).toBe(2);
    expect(tickStepS(0.9)).toBe(0.1);
    expect(tickStepS(45)).toBe(5);
    expect(svg).toContain('time since start (s)');
    expect(svg).toMatch(/class="tick"[^>]*>12</);
  });

  it('derives a lane from the holder samples when no state was reported, and says so', () => {
    const tl = new TimelineBuilder().host('r1').vip(VIP).holds('r1', VIP, 1000, 2000).end(3000);
    expect(stateSegments(tl, 'r1').map((s) => [s.state, s.from, s.to, s.derived])).toEqual([
      ['BACKUP', 0, 1000, true],
      ['MASTER', 1000, 2000, true],
      ['BACKUP', 2000, 3000, true],
    ]);
    expect(renderTimelineSvg(tl)).toContain('state from VIP');
  });
});

describe('report.html', () => {
  const html = renderHtmlReport(
    [
      { impl: 'vrrpd', backend: 'netns', results: [passResult(), failoverResult(), skippedResult()] },
      { impl: 'frr', backend: 'netns', results: [skippedResult()] },
    ],
    { generatedAt: new Date('2026-01-01T00:00:00Z') },
  );

  it('is self-contained: no external scripts, styles, images or fonts', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i);
    expect(html).toContain('<style>');
  });

  it('has a summary matrix, a legend and one timeline per run scenario (none for skips)', () => {
    expect(html).toContain('<th>vrrpd</th><th>frr</th>');
    expect(html).toContain('class="legend"');
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('skipped: frr cannot run this topology');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });
});

describe('summaryTable', () => {
  it('lists one run per scenario with the key measurement and the first failure', () => {
    const t = summaryTable([{ impl: 'vrrpd', backend: 'netns', results: [passResult(), skippedResult()] }]);
    expect(t).toContain('vrrpd on netns');
    expect(t).toMatch(/convergence\s+pass\s+12.3 s\s+3431 ms/);
    expect(t).toMatch(/unicast-cures-split-brain\s+skip .*unicast peers are not supported/);
    expect(t).toContain('1 passed, 0 failed, 1 skipped');
  });

  it('prints a matrix for several implementations', () => {
    const t = summaryTable([
      { impl: 'vrrpd', backend: 'netns', results: [passResult(), failoverResult()] },
      { impl: 'keepalived', backend: 'netns', results: [passResult()] },
    ]);
    const lines = t.split('\n');
    expect(lines[1]).toMatch(/^scenario\s+vrrpd\s+keepalived$/);
    expect(t).toMatch(/convergence\s+pass 3431 ms\s+pass 3431 ms/);
    expect(t).toMatch(/failover\s+fail 3609.4 ms\s+-/);
  });
});
