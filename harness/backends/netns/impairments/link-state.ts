import { run } from '../../../platform/run.js';
import { type Impairment, impairment } from './handle.js';
import type { LinkTarget } from './target.js';

/** Which end to take down: the switch port (default: the host sees carrier loss) or the host interface. */
export type LinkSide = 'switch' | 'host';

export async function setLinkState(t: LinkTarget, side: LinkSide, up: boolean): Promise<void> {
  const [netns, dev] = side === 'switch' ? [t.switchNetns, t.link.port] : [t.hostNetns, t.link.ifname];
  await run('ip', ['link', 'set', 'dev', dev, up ? 'up' : 'down'], { netns });
}

export async function linkDown(t: LinkTarget, side: LinkSide = 'switch'): Promise<Impairment> {
  await setLinkState(t, side, false);
  return impairment(`link down ${t.host}:${t.link.ifname} (${side} side)`, () => setLinkState(t, side, true));
}

export interface FlapOptions {
  /** One full cycle (down, then up) in ms. */
  periodMs: number;
  /** Number of cycles. */
  count: number;
  side?: LinkSide;
}

export interface FlapImpairment extends Impairment {
  /** Resolves when every cycle has run (or undo() stopped it); the link is up again. */
  readonly done: Promise<void>;
}

/**
 * Flap a link in the background: down for half a period, up for the other half, `count` times.
 * The waits ARE the impairment (its schedule), not a wait for something to settle.
 */
export function flapLink(t: LinkTarget, o: FlapOptions): FlapImpairment {
  const side = o.side ?? 'switch';
  let stopped = false;
  let wake: (() => void) | undefined;
  const pause = (ms: number) =>
    new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      wake = () => {
        clearTimeout(timer);
        r();
      };
    });
  const done = (async () => {
    try {
      for (let i = 0; i < o.count && !stopped; i++) {
        await setLinkState(t, side, false);
        await pause(o.periodMs / 2);
        await setLinkState(t, side, true);
        if (!stopped) await pause(o.periodMs / 2);
      }
    } finally {
      await setLinkState(t, side, true);
    }
  })();
  // Observed through `done` or undo(); never an unhandled rejection when nobody awaits it.
  done.catch(() => {});
  const base = impairment(`flap ${t.host}:${t.link.ifname} ${o.count}× ${o.periodMs} ms`, async () => {
    stopped = true;
    wake?.();
    await done;
  });
  return Object.assign(base, { done });
}
