import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../../harness/reports/escape.js';
import { junitXml } from '../../../harness/reports/junit.js';
import { reportJson } from '../../../harness/reports/report-json.js';
import { failoverResult, passResult, skippedResult } from './fixtures.js';

describe('escapeXml', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
  });
  it('replaces characters XML 1.0 cannot carry (daemon output with ANSI escapes, NUL)', () => {
    expect(escapeXml('red \u001b[31mX\u0000 tab\tok\n')).toBe('red \uFFFD[31mX\uFFFD tab\tok\n');
    expect(escapeXml('emoji 🙂 stays')).toBe('emoji 🙂 stays');
  });
});

describe('junitXml', () => {
  const xml = junitXml([
    { impl: 'vrrpd', backend: 'netns', results: [passResult(), failoverResult(), skippedResult()] },
    { impl: 'keepalived', backend: 'netns', results: [passResult()] },
  ]);

  it('has a testsuite per implementation and a testcase per scenario, with totals', () => {
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vrrp-lab drill" tests="4" failures="1" skipped="1"',
      ),
    ).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(4);
    expect(xml).toContain(
      '<testsuite name="vrrp-lab.vrrpd.netns" tests="3" failures="1" skipped="1" errors="0" time="24.693">',
    );
    expect(xml).toContain('<testcase classname="vrrp-lab.vrrpd.netns" name="failover" time="12.345">');
  });

  it('writes failure and skipped elements with escaped text', () => {
    expect(xml).toContain(
      '<failure message="failover: 2 holders (r1, r2) for 20 ms from +8.900 s &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" type="ScenarioFailure">',
    );
    expect(xml).toContain('<skipped message="frr cannot run this topology: unicast peers are not supported"/>');
    expect(xml).toContain('<system-out>failoverMs = 3609.4\nfailover.windowMs = (2609.4, 3609.4] + 100</system-out>');
    expect(xml).not.toMatch(/<script>/);
  });

  it('is well-formed: every element opened is closed, in order', () => {
    const stack: string[] = [];
    for (const m of xml.matchAll(/<(\/?)([a-z-]+)[^>]*?(\/?)>/g)) {
      const [, close, name, selfClose] = m;
      if (selfClose) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name!);
    }
    expect(stack).toEqual([]);
  });
});

describe('reportJson', () => {
  it('has the issue shape, with the skip reason beside (not inside) failures', () => {
    const j = reportJson({ impl: 'frr', backend: 'netns', results: [skippedResult()] });
    expect(j).toEqual({
      impl: 'frr',
      backend: 'netns',
      scenarios: [
        {
          name: 'unicast-cures-split-brain',
          status: 'skip',
          durationMs: 3,
          measurements: {},
          failures: [],
          skipReason: 'frr cannot run this topology: unicast peers are not supported',
        },
      ],
    });
  });
});
