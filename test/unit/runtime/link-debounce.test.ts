import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import type { LinkChange } from '../../../src/platform/index.js';
import { DebouncedLinks, effectiveLinkDelays, type LinkView } from '../../../src/runtime/tracking/link-debounce.js';
import { createLogger } from '../../../src/util/logger.js';

const log = createLogger({ sink: { write: () => {} } });

/** A link source whose state the test sets, emitting a change like LinkMonitor does. */
class FakeLinks extends EventEmitter<{ change: [LinkChange] }> implements LinkView {
  readonly up = new Map<string, boolean>();
  linkState(ifname: string) {
    const up = this.up.get(ifname);
    return up === undefined ? undefined : { up };
  }
  set(ifname: string, up: boolean, deleted = false): void {
    this.up.set(ifname, up);
    this.emit('change', { ifname, ifindex: 2, up, adminUp: true, operstate: up ? 'UP' : 'DOWN', deleted });
  }
}

function config(delays: string, instances = [{ iface: 'eth0', advert: '1', extra: '' }]) {
  const text = `interface_up_down_delays {\n${delays}\n}\n${instances
    .map(
      (i, n) =>
        `vrrp_instance VI_${n} {\n interface ${i.iface}\n virtual_router_id ${n + 1}\n advert_int ${i.advert}\n ${i.extra}\n virtual_ipaddress {\n  10.0.0.${n + 1}\n }\n}\n`,
    )
    .join('')}`;
  const r = parseConfigText(text);
  if (!r.config) throw new Error(r.diagnostics.map((d) => d.message).join('\n'));
  return { config: r.config, diagnostics: r.diagnostics };
}

describe('interface_up_down_delays: parsing and limits', () => {
  it('reads down and up delays; an omitted up delay is 0 (keepalived 2.2.7 code, not its man page)', () => {
    const { config: c } = config('eth0 1.5 0.25\neth1 0.5');
    expect(c.interfaceDelays?.map(({ ifname, downS, upS }) => [ifname, downS, upS])).toEqual([
      ['eth0', 1.5, 0.25],
      ['eth1', 0.5, 0],
    ]);
  });

  it('warns with the line and ignores it for a value keepalived cannot read; a later line for an interface wins', () => {
    const { config: c, diagnostics } = config('eth0 1.5 x\neth1 300\neth2\neth3 1 1 1\neth3 0.5');
    expect(c.interfaceDelays?.map((d) => [d.ifname, d.downS])).toEqual([['eth3', 0.5]]);
    expect(
      diagnostics.map((d) => `${d.line}:${d.column}: ${d.message.replace('interface_up_down_delays: ', '')}`),
    ).toEqual([
      "2:1: invalid up delay 'x' for eth0 (0..255 s); the line is ignored",
      "3:1: invalid down delay '300' for eth1 (0..255 s); the line is ignored",
      '4:1: no delays for eth2; the line is ignored',
      '5:10: too many values for eth3; the rest is ignored',
    ]);
    expect(diagnostics.every((d) => d.severity === 'warning' && d.keyword === 'interface_up_down_delays')).toBe(true);
  });

  it('cuts a delay that is not below (down_timer_adverts - 1) × advert_int to that minus advert_int/256', () => {
    const { config: c } = config('eth0 5 1', [
      { iface: 'eth0', advert: '1', extra: '' },
      { iface: 'eth1', advert: '0.1', extra: 'version 3' },
    ]);
    expect(effectiveLinkDelays(c).get('eth0')).toEqual({ downMs: 2000 - 3.906, upMs: 1000 });
  });

  it('allows no delay on an interface with a down_timer_adverts 1 instance', () => {
    const { config: c } = config('eth0 1 1', [{ iface: 'eth0', advert: '1', extra: 'down_timer_adverts 1' }]);
    expect(effectiveLinkDelays(c).get('eth0')).toEqual({ downMs: 0, upMs: 0 });
  });
});

describe('DebouncedLinks', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function setup() {
    const src = new FakeLinks();
    src.up.set('eth0', true);
    src.up.set('eth1', true);
    const view = new DebouncedLinks(src, new Map([['eth0', { downMs: 1500, upMs: 1000 }]]), log);
    const seen: string[] = [];
    view.on('change', (c) => seen.push(`${c.ifname} ${c.up ? 'up' : 'down'}`));
    return { src, view, seen };
  }

  it('a flap shorter than the down delay is never seen', () => {
    const { src, view, seen } = setup();
    src.set('eth0', false);
    vi.advanceTimersByTime(1000);
    expect(view.linkState('eth0')?.up).toBe(true);
    src.set('eth0', true);
    vi.advanceTimersByTime(5000);
    expect(seen).toEqual([]);
    expect(view.linkState('eth0')?.up).toBe(true);
  });

  it('a loss that outlasts the down delay is seen when it runs out; the return after the up delay', () => {
    const { src, view, seen } = setup();
    src.set('eth0', false);
    vi.advanceTimersByTime(1499);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['eth0 down']);
    expect(view.linkState('eth0')?.up).toBe(false);
    src.set('eth0', true);
    vi.advanceTimersByTime(999);
    expect(view.linkState('eth0')?.up).toBe(false);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual(['eth0 down', 'eth0 up']);
  });

  it('other interfaces, a deleted link and an interface never seen up pass at once', () => {
    const src = new FakeLinks();
    src.up.set('eth0', false);
    const view = new DebouncedLinks(src, new Map([['eth0', { downMs: 1500, upMs: 1000 }]]), log);
    const seen: string[] = [];
    view.on('change', (c) => seen.push(`${c.ifname} ${c.up ? 'up' : 'down'}${c.deleted ? ' deleted' : ''}`));
    src.set('eth1', false);
    src.set('eth0', true); // never seen up before: at once (keepalived's seen_up)
    src.set('eth0', false, true);
    expect(seen).toEqual(['eth1 down', 'eth0 up', 'eth0 down deleted']);
    view.close();
  });

  it('close() drops a pending change', () => {
    const { src, view, seen } = setup();
    src.set('eth0', false);
    view.close();
    vi.advanceTimersByTime(5000);
    expect(seen).toEqual([]);
  });
});
