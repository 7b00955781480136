import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab } from '../../../harness/lab/index.js';
import { packetEvents } from '../../../harness/observers/packet-events.js';
import { captureSwitch } from '../daemon/same-config-lab.js';
import { buildLab, startKeepalived, startVrrpd, stop, underBoth, until, vrrpdBuilt } from './hand-lab.js';

/**
 * vrrp_track_process: the instance's priority (read off its adverts) or its FAULT (no adverts, no VIP)
 * follows whether processes of that name run. keepalived 2.2.7 learns about processes from the kernel's
 * process-events connector, which exists only in the initial network namespace: in a lab host it logs
 * "Failed to set/clear process event listen" and keeps what it saw at start-up (docs/quirks.md Q48). So the
 * same file is compared under both daemons on the start-up state (process running before the start, or not),
 * and vrrpd alone on the changes, against keepalived.conf(5). The process is a copy of sleep with a name of
 * its own (processes are seen machine-wide, whatever the namespace).
 */
const VIP = '10.99.0.236';

/** `inGroup`: the reference is the sync group's (with sync_group_tracking_weight), not the instance's. */
function conf(name: string, processOpts: string, ref: string, inGroup = false): string {
  const track = `track_process {
    ${ref}
  }`;
  return `
vrrp_track_process tp {
  process ${name}
  ${processOpts}
}
${
  inGroup
    ? `vrrp_sync_group G {
  group {
    VI_1
  }
  ${track}
  sync_group_tracking_weight
}
`
    : ''
}vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 94
  priority 100
  version 3
  advert_int 0.2
  ${inGroup ? '' : track}
  virtual_ipaddress {
    ${VIP}/24
  }
}
`;
}

/** What the wire shows after a step: the priority of adverts sent a second later, or FAULT (none, no VIP). */
type Seen = number | 'FAULT';

async function processCopy(lab: Lab, tag: string): Promise<{ name: string; exe: string }> {
  const name = `vtp${tag}${Math.floor(Math.random() * 1e6)}`.slice(0, 15);
  const exe = join(lab.dir, name);
  await copyFile('/bin/sleep', exe);
  return { name, exe };
}

/** The priority of adverts sent a second after `fromMs`, or FAULT (none by then, and no VIP). */
async function seenAfter(lab: Lab, cap: Awaited<ReturnType<typeof captureSwitch>>, what: string): Promise<Seen> {
  const from = Date.now() + 1000;
  let last: number | undefined;
  await until(what, async () => {
    await cap.flush();
    const ad = packetEvents(await cap.read())
      .filter((e) => e.kind === 'advert' && e.wallMs > from)
      .at(-1);
    last = ad?.kind === 'advert' ? ad.priority : undefined;
    if (last !== undefined) return true;
    return Date.now() > from + 1000 && !(await lab.host('r1').hasLocalAddress(VIP));
  });
  return last ?? 'FAULT';
}

/** What the wire shows right after a start with `running` copies of the process already running. */
async function atStart(
  lab: Lab,
  impl: 'keepalived' | 'vrrpd',
  tag: string,
  opts: string,
  ref: string,
  running: number,
  inGroup = false,
) {
  const { name, exe } = await processCopy(lab, tag);
  const procs: number[] = [];
  for (let i = 0; i < running; i++) {
    procs.push(await lab.host('r1').spawn(exe, ['1000'], { logFile: join(lab.dir, `${name}.${i}.log`) }));
  }
  const cap = await captureSwitch(lab, `tp-${tag}-${running}-${impl}`, ['vrrp']);
  const c = conf(name, opts, ref, inGroup);
  const d = impl === 'vrrpd' ? await startVrrpd(lab, 'r1', c) : await startKeepalived(lab, 'r1', c);
  try {
    return await seenAfter(lab, cap, `${impl} ${tag}: adverts or FAULT`);
  } finally {
    for (const p of procs) process.kill(p, 'SIGKILL');
    await stop(d);
    await cap.stop();
  }
}

describe.skipIf(!vrrpdBuilt)('vrrp_track_process at start-up, under both daemons', () => {
  const configs = {
    negative: ['weight -20', 'tp'],
    positive: ['weight 10', 'tp'],
    byDefault: ['', 'tp'],
    override: ['weight 10', 'tp weight -30'],
    zeroReverse: ['weight 0 reverse', 'tp'],
    quorum2: ['weight -20\n  quorum 2', 'tp'],
    // The same tracking through a sync group: it applies to every member.
    groupNegative: ['weight -20', 'tp', true],
    groupByDefault: ['', 'tp', true],
  } as const;
  const r = underBoth('kw-tproc', ['r1'], async (lab, impl) => {
    const out: Record<string, { absent: Seen; one: Seen }> = {};
    for (const [tag, [opts, ref, inGroup]] of Object.entries(configs)) {
      out[tag] = {
        absent: await atStart(lab, impl, tag.slice(0, 3), opts, ref, 0, inGroup),
        one: await atStart(lab, impl, tag.slice(0, 3), opts, ref, 1, inGroup),
      };
    }
    return out;
  });

  it('keepalived 2.2.7 (the reference) without the process: weights as documented, weight 0 by default', () => {
    const k = r.keepalived();
    expect(Object.fromEntries(Object.entries(k).map(([c, v]) => [c, v.absent]))).toEqual({
      negative: 80,
      positive: 100,
      byDefault: 'FAULT',
      override: 70,
      zeroReverse: 100,
      quorum2: 80,
      groupNegative: 80,
      groupByDefault: 'FAULT',
    });
  });

  it('keepalived 2.2.7 in a network namespace never sees the process, even one running before it starts', () => {
    // Its process-events connector fails outside the initial namespace (docs/quirks.md Q48).
    for (const v of Object.values(r.keepalived())) expect(v.one).toEqual(v.absent);
  });

  it('vrrpd: the same without the process; with it, what keepalived.conf(5) documents', () => {
    const v = r.vrrpd();
    for (const [c, x] of Object.entries(v)) expect([c, x.absent]).toEqual([c, r.keepalived()[c]?.absent]);
    expect(Object.fromEntries(Object.entries(v).map(([c, x]) => [c, x.one]))).toEqual({
      negative: 100,
      positive: 110,
      byDefault: 100,
      override: 100,
      zeroReverse: 'FAULT',
      quorum2: 80,
      groupNegative: 100,
      groupByDefault: 100,
    });
  });
});

describe.skipIf(!vrrpdBuilt)('vrrp_track_process while running (vrrpd)', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await buildLab('kw-tproc-run', ['r1']);
  });
  afterAll(async () => {
    await lab?.destroy();
  });

  it('follows the process: weight -20 is lost when it starts, back when it is killed; delay holds a restart', async () => {
    const { name, exe } = await processCopy(lab, 'run');
    const cap = await captureSwitch(lab, 'tp-run', ['vrrp']);
    const d = await startVrrpd(lab, 'r1', conf(name, 'weight -20\n  terminate_delay 3', 'tp'));
    let proc: number | undefined;
    try {
      expect(await seenAfter(lab, cap, 'without the process')).toBe(80);
      proc = await lab.host('r1').spawn(exe, ['1000'], { logFile: join(lab.dir, 'run.log') });
      expect(await seenAfter(lab, cap, 'with the process')).toBe(100);
      // Killed and restarted within terminate_delay: no change.
      process.kill(proc, 'SIGKILL');
      proc = await lab.host('r1').spawn(exe, ['1000'], { logFile: join(lab.dir, 'run2.log') });
      expect(await seenAfter(lab, cap, 'restarted within the delay')).toBe(100);
      process.kill(proc, 'SIGKILL');
      proc = undefined;
      const killedAt = Date.now();
      await until('priority 80 again', async () => (await d.instance('VI_1')).effectivePriority === 80, 10_000);
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(3000 - 50);
      expect(await seenAfter(lab, cap, 'after terminate_delay')).toBe(80);
    } finally {
      if (proc !== undefined) process.kill(proc, 'SIGKILL');
      await stop(d);
      await cap.stop();
    }
  });
});
