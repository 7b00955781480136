import type { HolderChange } from '../observers/holder-log.js';
import type { ScenarioTimeline, TimelineHost, VrrpState } from './timeline.js';
import { emptyTimeline } from './timeline.js';

/**
 * Build a ScenarioTimeline by hand, for unit tests of assertions, matchers and reports (here and in other
 * projects). Times are ms from t0 = 0.
 */
export class TimelineBuilder {
  private readonly tl: ScenarioTimeline = emptyTimeline(0);

  host(name: string, o: { role?: 'router' | 'client'; address?: string; mac?: string } = {}): this {
    const h: TimelineHost = { name, role: o.role ?? 'router', addresses: o.address ? [o.address] : [] };
    if (o.mac) h.mac = o.mac;
    this.tl.hosts.push(h);
    return this;
  }

  vip(vip: string): this {
    this.tl.vips.push(vip);
    return this;
  }

  /** `host` holds `vip` during [fromMs, toMs) (toMs undefined = until the end). Initial "not held" samples at 0. */
  holds(host: string, vip: string, fromMs: number, toMs?: number): this {
    this.initial(host, vip);
    this.change({ tMs: fromMs, host, vip, held: true, boundMs: fromMs - 5 });
    if (toMs !== undefined) this.change({ tMs: toMs, host, vip, held: false, boundMs: toMs - 5 });
    return this;
  }

  /** Declare that the sampler watched `host` from t = 0 (not holding). */
  watched(host: string, vip: string): this {
    this.initial(host, vip);
    return this;
  }

  adverts(
    host: string,
    o: { priority: number; fromMs: number; toMs: number; everyMs: number; srcIp?: string; vrid?: number },
  ): this {
    for (let t = o.fromMs; t < o.toMs; t += o.everyMs) this.advert(host, t, o.priority, o);
    return this;
  }

  advert(
    host: string,
    tMs: number,
    priority: number,
    o: { srcIp?: string; vrid?: number; intervalCs?: number } = {},
  ): this {
    this.tl.adverts.push({
      tMs,
      host,
      srcIp: o.srcIp ?? host,
      vrid: o.vrid ?? 51,
      priority,
      intervalCs: o.intervalCs ?? 100,
    });
    return this;
  }

  garps(host: string, vip: string, tMs: number, count: number, o: { mac?: string; spacingMs?: number } = {}): this {
    const mac = o.mac ?? this.tl.hosts.find((h) => h.name === host)?.mac ?? '02:00:00:00:00:01';
    for (let i = 0; i < count; i++) {
      this.tl.garps.push({
        tMs: tMs + i * (o.spacingMs ?? 0.2),
        kind: 'arp',
        host,
        senderMac: mac,
        senderIp: vip,
        targetIp: vip,
      });
    }
    return this;
  }

  state(host: string, tMs: number, state: VrrpState): this {
    this.tl.states.push({ tMs, host, state });
    return this;
  }

  fault(tMs: number, label: string, host?: string): this {
    this.tl.faults.push({ tMs, label, ...(host === undefined ? {} : { host }) });
    return this;
  }

  step(name: string, startMs: number, endMs: number): this {
    this.tl.steps.push({ name, startMs, endMs });
    return this;
  }

  end(endMs: number): ScenarioTimeline {
    this.tl.endMs = endMs;
    const sort = <T extends { tMs: number }>(a: T[]) => a.sort((x, y) => x.tMs - y.tMs);
    sort(this.tl.holders);
    sort(this.tl.adverts);
    sort(this.tl.garps);
    sort(this.tl.states);
    return this.tl;
  }

  private initial(host: string, vip: string): void {
    if (this.tl.holders.some((h) => h.host === host && h.vip === vip)) return;
    this.change({ tMs: 0, host, vip, held: false, initial: true });
  }

  private change(c: HolderChange): void {
    this.tl.holders.push(c);
  }
}
