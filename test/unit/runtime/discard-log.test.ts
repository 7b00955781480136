import { describe, expect, it } from 'vitest';
import { DiscardLog } from '../../../src/runtime/discard-log.js';
import { createLogger } from '../../../src/util/logger.js';

function recording() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger({ format: 'json', level: 'debug', sink: { write: (l) => lines.push(JSON.parse(l)) } });
  return { log, lines };
}

describe('DiscardLog (RFC 5798 §7.1: log discarded adverts)', () => {
  it('logs each reason at info, at most once per 10 s, and reports what it suppressed', () => {
    const { log, lines } = recording();
    let now = 0;
    const d = new DiscardLog(log, () => now);
    d.discard('ttl', { src: '10.0.0.2' });
    d.discard('ttl', { src: '10.0.0.2' });
    d.discard('checksum', { src: '10.0.0.3' });
    now = 9_999;
    d.discard('ttl', { src: '10.0.0.2' });
    expect(lines.map((l) => [l.level, l.msg, l.reason, l.suppressed])).toEqual([
      ['info', 'advert discarded', 'ttl', undefined],
      ['info', 'advert discarded', 'checksum', undefined],
    ]);
    now = 10_000;
    d.discard('ttl', { src: '10.0.0.9' });
    expect(lines.at(-1)).toMatchObject({ level: 'info', reason: 'ttl', src: '10.0.0.9', suppressed: 2 });
  });
});

describe('DiscardLog and log_unknown_vrids', () => {
  it('an unknown VRID is not logged by default, and logged every time (unthrottled) with the keyword', () => {
    const lines: string[] = [];
    const d = new DiscardLog(createLogger({ format: 'json', sink: { write: (l) => void lines.push(l) } }), () => 0);
    d.discard('unknown-vrid', { vrid: 77 });
    expect(lines).toEqual([]);
    d.logUnknownVrids = true;
    d.discard('unknown-vrid', { vrid: 77 });
    d.discard('unknown-vrid', { vrid: 77 });
    expect(lines.filter((l) => l.includes('unknown VRID received'))).toHaveLength(2);
  });
});
