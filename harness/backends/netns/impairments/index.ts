import { VrrpLabError } from '../../../../src/util/errors.js';
import type { AdapterHost, ImplementationAdapter } from '../../../adapters/types.js';
import { nftTableName } from '../names.js';
import type { Impairment } from './handle.js';
import { type FlapImpairment, type FlapOptions, flapLink, type LinkSide, linkDown } from './link-state.js';
import { applyNetem, type NetemOptions } from './netem.js';
import { dropVrrpRules, nftDropTable, partitionRules } from './nft-filter.js';
import { type CrashOptions, crashHost, freezeHost } from './process-faults.js';
import type { LinkTarget } from './target.js';

export type { Impairment } from './handle.js';
export type { FlapImpairment, FlapOptions, LinkSide } from './link-state.js';
export { type NetemOptions, netemSupported } from './netem.js';
export type { CrashOptions } from './process-faults.js';
export type { LinkTarget } from './target.js';

/** What the impairments need from a lab. */
export interface ImpairmentContext {
  runId: string;
  switchNetns: string;
  /** A host's link (its VRRP-facing one when `ifname` is omitted). */
  target(host: string, ifname?: string): LinkTarget;
  /** Every switch port of a host (all its links). */
  ports(host: string): string[];
  /** The implementation running on `host` (hosts may pin their own, see TopologyHost.impl). */
  adapter(host: string): ImplementationAdapter | undefined;
  adapterHost(host: string): AdapterHost;
}

/**
 * Faults to inject into a running lab. Each returns an undo handle (`await using` or undo()); the
 * lab keeps the active ones and undoes them all in undoAll().
 */
export class Impairments {
  private readonly active = new Set<Impairment>();
  private tableSeq = 0;

  constructor(private readonly ctx: ImpairmentContext) {}

  private track<T extends Impairment>(i: T): T {
    this.active.add(i);
    const undo = i.undo;
    const wrapped = async () => {
      await undo();
      this.active.delete(i);
    };
    return Object.assign(i, { undo: wrapped, [Symbol.asyncDispose]: wrapped });
  }

  /** netem loss/delay/jitter on a host's link, both directions by default. */
  async netem(host: string, o: NetemOptions & { ifname?: string }): Promise<Impairment> {
    return this.track(await applyNetem(this.ctx.target(host, o.ifname), o));
  }

  async linkDown(host: string, o: { ifname?: string; side?: LinkSide } = {}): Promise<Impairment> {
    return this.track(await linkDown(this.ctx.target(host, o.ifname), o.side));
  }

  flap(host: string, o: FlapOptions & { ifname?: string }): FlapImpairment {
    return this.track(flapLink(this.ctx.target(host, o.ifname), o));
  }

  /** No traffic at all between the hosts of `a` and those of `b` (nft bridge rules by port). */
  async partition(a: readonly string[], b: readonly string[]): Promise<Impairment> {
    const pa = a.flatMap((h) => this.ctx.ports(h));
    const pb = b.flatMap((h) => this.ctx.ports(h));
    const table = nftTableName(this.ctx.runId, `p${++this.tableSeq}`);
    const desc = `partition [${a.join(',')}] | [${b.join(',')}]`;
    return this.track(await nftDropTable(this.ctx.switchNetns, table, partitionRules(pa, pb), desc));
  }

  /** Drop only VRRP (IP protocol 112) to and from a host's link; ARP, ICMP, HTTP still pass. */
  async dropVrrp(host: string, o: { ifname?: string } = {}): Promise<Impairment> {
    const t = this.ctx.target(host, o.ifname);
    const table = nftTableName(this.ctx.runId, `v${++this.tableSeq}`);
    const desc = `drop VRRP on ${host}:${t.link.ifname}`;
    return this.track(await nftDropTable(this.ctx.switchNetns, table, dropVrrpRules(t.link.port), desc));
  }

  async freeze(host: string): Promise<Impairment> {
    return this.track(await freezeHost(this.requireAdapter(host), this.ctx.adapterHost(host)));
  }

  async crash(host: string, o: CrashOptions & { ifname?: string } = {}): Promise<Impairment> {
    const ah = this.ctx.adapterHost(host);
    return this.track(await crashHost(this.requireAdapter(host), ah, this.ctx.target(host, o.ifname), o));
  }

  /** Undo every impairment still active, newest first. */
  async undoAll(o: { ignoreErrors?: boolean } = {}): Promise<void> {
    for (const i of [...this.active].reverse()) {
      try {
        await i.undo();
      } catch (err) {
        this.active.delete(i);
        if (!o.ignoreErrors) throw err;
      }
    }
  }

  get activeImpairments(): readonly Impairment[] {
    return [...this.active];
  }

  private requireAdapter(host: string): ImplementationAdapter {
    const a = this.ctx.adapter(host);
    if (!a) throw new VrrpLabError('no implementation adapter: start the implementation before freeze/crash');
    return a;
  }
}
