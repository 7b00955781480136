import { describe, expect, it } from 'vitest';
import { LabUnavailableError, VrrpLab } from '../../../harness/api/vrrp-lab.js';
import { hostShell } from '../../../harness/scenario/host-handle.js';
import type { LabSession, SessionFactory } from '../../../harness/scenario/session.js';
import { monotonicMs } from '../../../src/util/clock.js';
import { fakeSession } from '../scenario/fake-session.js';

/** A lab in memory: start(h) makes h the holder of the VIP; every call is recorded. */
function fake(o: { unavailable?: string; unsupported?: string[]; failStart?: string } = {}) {
  const calls: string[] = [];
  let holder: string | undefined;
  const session: LabSession = fakeSession({
    start: async (h) => {
      calls.push(`start ${h}`);
      if (h === o.failStart) throw new Error(`${h} would not start`);
      if (!holder) holder = h;
    },
    stop: async (h) => void calls.push(`stop ${h}`),
    kill: async (h) => {
      calls.push(`kill ${h}`);
      if (holder === h) holder = undefined;
    },
    holders: () => (holder ? [holder] : []),
    shell: () => ({ prefix: ['env', 'FAKE_HOST=yes'], env: { VRRPLAB_RUN: 'fake01' } }),
    finish: async () => {
      calls.push('finish');
      return { t0Ms: 0, endMs: monotonicMs(), hosts: [], vips: [], holders: [], states: [], adverts: [], garps: [] };
    },
    destroy: async () => void calls.push('destroy'),
  });
  const factory: SessionFactory = {
    backend: 'netns',
    unavailable: async () => o.unavailable,
    unsupported: async () => o.unsupported ?? [],
    open: async () => {
      calls.push('open');
      return session;
    },
  };
  return { factory, calls };
}

describe('VrrpLab builder', () => {
  it('starts the implementation on every router, acts on hosts, disposes once', async () => {
    const { factory, calls } = fake();
    const lab = await new VrrpLab('three-hosts.yaml').withSessionFactory(factory).start();
    expect(calls.slice(0, 4).sort()).toEqual(['open', 'start r1', 'start r2', 'start r3']);
    expect(lab.routers).toEqual(['r1', 'r2', 'r3']);
    expect(lab.holders('10.99.0.254')).toHaveLength(1);
    await lab.host('r1').crash();
    const tl = await lab.timeline();
    expect(tl.faults.map((f) => f.label)).toContain('crash r1');
    expect(await lab.timeline()).toBe(tl);
    await lab[Symbol.asyncDispose]();
    await lab.stop();
    expect(calls.filter((c) => c === 'destroy' || c === 'finish')).toEqual(['finish', 'destroy']);
    expect(() => lab.host('nope')).toThrow(/no host "nope"/);
  });

  it('refuses an unknown implementation by name', () => {
    expect(() => new VrrpLab('three-hosts.yaml').withImplementation('bird')).toThrow(/unknown implementation "bird"/);
  });

  it('throws LabUnavailableError with the reason, building nothing', async () => {
    const { factory, calls } = fake({ unavailable: 'docker: daemon not reachable' });
    await expect(new VrrpLab('three-hosts.yaml').withSessionFactory(factory).start()).rejects.toThrow(
      LabUnavailableError,
    );
    const u = fake({ unsupported: ['r1: unicast'] });
    await expect(new VrrpLab('three-hosts.yaml').withSessionFactory(u.factory).start()).rejects.toThrow(
      /cannot run this topology: r1: unicast/,
    );
    expect([...calls, ...u.calls]).toEqual([]);
  });

  it('a router that fails to start removes the lab', async () => {
    const { factory, calls } = fake({ failStart: 'r2' });
    await expect(new VrrpLab('three-hosts.yaml').withSessionFactory(factory).start()).rejects.toThrow(
      /r2 would not start/,
    );
    expect(calls.at(-1)).toBe('destroy');
  });

  it('takes a topology object and does not start daemons when asked', async () => {
    const { factory, calls } = fake();
    const lab = await new VrrpLab({
      switches: { sw: {} },
      hosts: {
        a: {
          role: 'router',
          links: [{ switch: 'sw', addresses: ['10.9.0.1/24'] }],
          vrrp: [{ vrid: 9, priority: 200, vips: ['10.9.0.254/24'] }],
        },
        b: {
          role: 'router',
          links: [{ switch: 'sw', addresses: ['10.9.0.2/24'] }],
          vrrp: [{ vrid: 9, priority: 100, vips: ['10.9.0.254/24'] }],
        },
      },
    })
      .withDaemonsStopped()
      .withSessionFactory(factory)
      .start();
    expect(lab.vips).toEqual(['10.9.0.254']);
    expect(calls).toEqual(['open']);
    await lab.stop();
  });
});

describe('host shell (zx $ behind a command prefix)', () => {
  it('runs the shell line behind the prefix with the run tag, pipes and quoting intact', async () => {
    const $ = hostShell(['env', 'INSIDE=ns1'], { VRRPLAB_RUN: 'abc123' });
    const word = "it's";
    const r = await $`echo $INSIDE $VRRPLAB_RUN ${word} | tr a-z A-Z`;
    expect(r.stdout.trim()).toBe("NS1 ABC123 IT'S");
    await expect($`exit 3`).rejects.toMatchObject({ exitCode: 3 });
  });
});
