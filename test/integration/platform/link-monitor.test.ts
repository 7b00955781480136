import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LinkChange, LinkMonitor } from '../../../src/platform/link-monitor.js';
import { withNetns } from '../../../src/platform/netns.js';
import { createVethPair, ip, type VethPair } from './fixture.js';

let pair: VethPair;
let monitor: LinkMonitor | undefined;

beforeAll(async () => {
  pair = await createVethPair();
});
afterEach(() => {
  monitor?.close();
  monitor = undefined;
});
afterAll(async () => {
  await pair?.destroy();
});

/** Resolves with the first change event matching pred; rejects after timeoutMs. */
function nextChange(m: LinkMonitor, pred: (c: LinkChange) => boolean, timeoutMs = 3000): Promise<LinkChange> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      m.off('change', on);
      reject(new Error(`no matching link change within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (c: LinkChange): void => {
      if (!pred(c)) return;
      clearTimeout(timer);
      m.off('change', on);
      resolve(c);
    };
    m.on('change', on);
  });
}

describe('LinkMonitor', () => {
  it('knows the current state at construction', () => {
    monitor = withNetns(pair.nsA, () => new LinkMonitor());
    expect(monitor.linkState(pair.ifA)).toMatchObject({ ifname: pair.ifA, up: true, adminUp: true });
    expect(monitor.linkState('lo')).toMatchObject({ adminUp: true });
    expect(monitor.linkState('vptnope0')).toBeUndefined();
  });

  it('sees ip link set down / up', async () => {
    const m = withNetns(pair.nsA, () => new LinkMonitor());
    monitor = m;
    const down = nextChange(m, (c) => c.ifname === pair.ifA && !c.up);
    await ip(['-n', pair.nsA, 'link', 'set', pair.ifA, 'down']);
    expect(await down).toMatchObject({ ifname: pair.ifA, up: false, adminUp: false, deleted: false });
    expect(m.linkState(pair.ifA)?.up).toBe(false);

    const up = nextChange(m, (c) => c.ifname === pair.ifA && c.up);
    await ip(['-n', pair.nsA, 'link', 'set', pair.ifA, 'up']);
    expect(await up).toMatchObject({ ifname: pair.ifA, up: true, adminUp: true });
  });

  it('reports carrier loss (peer down) as down while admin-up', async () => {
    const m = withNetns(pair.nsA, () => new LinkMonitor());
    monitor = m;
    const lost = nextChange(m, (c) => c.ifname === pair.ifA && !c.up);
    await ip(['-n', pair.nsB, 'link', 'set', pair.ifB, 'down']);
    // veth reports operstate DOWN (not LOWERLAYERDOWN) when it loses its peer's carrier.
    expect(await lost).toMatchObject({ up: false, adminUp: true, operstate: 'DOWN' });
    const back = nextChange(m, (c) => c.ifname === pair.ifA && c.up);
    await ip(['-n', pair.nsB, 'link', 'set', pair.ifB, 'up']);
    expect(await back).toMatchObject({ up: true, adminUp: true, operstate: 'UP' });
  });

  it('reports a deleted link', async () => {
    const extra = `vpt${pair.tag}x`;
    await ip(['-n', pair.nsA, 'link', 'add', extra, 'type', 'veth', 'peer', 'name', `vpt${pair.tag}y`]);
    const m = withNetns(pair.nsA, () => new LinkMonitor());
    monitor = m;
    expect(m.linkState(extra)).toBeDefined();
    const gone = nextChange(m, (c) => c.ifname === extra);
    await ip(['-n', pair.nsA, 'link', 'del', extra]);
    expect(await gone).toMatchObject({ ifname: extra, up: false, deleted: true });
    expect(m.linkState(extra)).toBeUndefined();
  });
});
