import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { isAlive, signal, waitExit } from '../../../../harness/adapters/proc.js';
import type { AdapterHost } from '../../../../harness/adapters/types.js';
import type { VrrpInstanceSettings } from '../../../../harness/topology/vrrp-settings.js';
import { CommandError } from '../../../../src/util/errors.js';

/**
 * A throw-away topology for adapter integration tests: one switch netns with a bridge
 * (forward_delay 0, mcast_snooping 0) and N host netns, veths created directly between the
 * namespaces (nothing in the root netns). Every name carries `vat-<tag>-` so parallel test runs of
 * other engineers never collide, and the tag also appears in every daemon's command line (through
 * the run directory), which is how leftovers are found.
 */

export interface TestHost extends AdapterHost {
  netns: string;
  /** Address without prefix. */
  ip: string;
}

export interface TinyLab {
  tag: string;
  runDir: string;
  switchNs: string;
  hosts: TestHost[];
  destroy(): Promise<void>;
}

async function ip(args: string[]): Promise<void> {
  const r = await execa('ip', args, { reject: false });
  if (r.exitCode !== 0) throw new CommandError('ip', args, r.exitCode, r.stderr);
}

/** exec/spawn of an AdapterHost that lives in the network namespace `netns`. */
export function netnsProcesses(netns: string): Pick<AdapterHost, 'exec' | 'spawn'> {
  return {
    async exec(cmd, args, opts) {
      const full = ['netns', 'exec', netns, cmd, ...args];
      const r = await execa('ip', full, {
        reject: false,
        ...(opts?.input === undefined ? {} : { input: opts.input }),
        env: opts?.env ?? {},
      });
      if (r.exitCode !== 0) throw new CommandError(cmd, args, r.exitCode, r.stderr, netns);
      return { stdout: r.stdout, stderr: r.stderr };
    },
    async spawn(cmd, args, opts) {
      const fd = openSync(opts.logFile, 'a');
      try {
        // `ip netns exec` execs the command, so the pid we get is the daemon's own.
        const child = spawn('ip', ['netns', 'exec', netns, cmd, ...args], {
          detached: true,
          stdio: ['ignore', fd, fd],
          env: { ...process.env, ...opts.env },
        });
        child.on('error', () => undefined);
        child.unref();
        if (child.pid === undefined) throw new CommandError(cmd, args, undefined, 'spawn failed', netns);
        return { pid: child.pid };
      } finally {
        closeSync(fd);
      }
    },
  };
}

function makeHost(tag: string, runDir: string, i: number, n: number): TestHost {
  const name = `r${i}`;
  const netns = `vat-${tag}-${name}`;
  const address = `10.77.0.${10 + i}`;
  const all = Array.from({ length: n }, (_, k) => `10.77.0.${11 + k}`);
  return {
    runId: `vat-${tag}`,
    name,
    netns,
    ip: address,
    dir: join(runDir, name),
    ifname: 'eth0',
    addresses: [`${address}/24`],
    peers: all.filter((a) => a !== address),
    instances: [],
    ...netnsProcesses(netns),
  };
}

export async function createTinyLab(hostCount: number): Promise<TinyLab> {
  const tag = randomBytes(2).toString('hex');
  const runDir = await mkdtemp(join(tmpdir(), `vat-${tag}-`));
  // mkdtemp gives 0700: FRR's daemons run as frr and must reach their directory below it.
  await chmod(runDir, 0o755);
  const switchNs = `vat-${tag}-sw`;
  const hosts = Array.from({ length: hostCount }, (_, k) => makeHost(tag, runDir, k + 1, hostCount));
  const lab: TinyLab = { tag, runDir, switchNs, hosts, destroy: () => destroyLab(lab) };
  try {
    await ip(['netns', 'add', switchNs]);
    await ip(['-n', switchNs, 'link', 'set', 'lo', 'up']);
    await ip(['-n', switchNs, 'link', 'add', 'br0', 'type', 'bridge', 'forward_delay', '0', 'mcast_snooping', '0']);
    await ip(['-n', switchNs, 'link', 'set', 'br0', 'up']);
    for (const h of hosts) {
      await mkdir(h.dir, { recursive: true });
      await chmod(h.dir, 0o755);
      const port = `${h.name}p`;
      await ip(['netns', 'add', h.netns]);
      await ip(['-n', h.netns, 'link', 'set', 'lo', 'up']);
      await ip(['-n', h.netns, 'link', 'add', h.ifname, 'type', 'veth', 'peer', 'name', port, 'netns', switchNs]);
      await ip(['-n', h.netns, 'addr', 'add', h.addresses[0]!, 'dev', h.ifname]);
      await ip(['-n', h.netns, 'link', 'set', h.ifname, 'up']);
      await ip(['-n', switchNs, 'link', 'set', port, 'master', 'br0']);
      await ip(['-n', switchNs, 'link', 'set', port, 'up']);
    }
  } catch (err) {
    await destroyLab(lab);
    throw err;
  }
  return lab;
}

/** Pids (not zombies) whose command line mentions this lab's tag: our daemons, by their config paths. */
export function labProcesses(lab: TinyLab): Array<{ pid: number; cmdline: string }> {
  const out: Array<{ pid: number; cmdline: string }> = [];
  const needle = `vat-${lab.tag}-`;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes(needle) && isAlive(pid)) out.push({ pid, cmdline: cmdline.trim() });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

async function destroyLab(lab: TinyLab): Promise<void> {
  // Safety net only (tests assert there is nothing left): SIGKILL our own leftovers, by pid.
  for (const p of labProcesses(lab)) signal(p.pid, 'SIGKILL');
  for (const p of labProcesses(lab)) await waitExit(p.pid, 5000, p.cmdline).catch(() => undefined);
  for (const ns of [...lab.hosts.map((h) => h.netns), lab.switchNs]) {
    await execa('ip', ['netns', 'del', ns], { reject: false });
  }
  // VAT_KEEP_RUNDIR=1 keeps configs and daemon logs for a post-mortem.
  if (process.env.VAT_KEEP_RUNDIR !== '1') await rm(lab.runDir, { recursive: true, force: true });
}

/** A copy of the host with other VRRP settings (exec/spawn are closures, so spreading keeps them working). */
export function withInstances(h: TestHost, instances: VrrpInstanceSettings[]): TestHost {
  return { ...h, instances };
}

/** Local IPv4/IPv6 addresses (no prefix) on the host's VRRP interface. */
export async function addressesOn(h: TestHost, ifname = h.ifname): Promise<string[]> {
  const r = await execa('ip', ['-n', h.netns, '-j', 'addr', 'show', 'dev', ifname], { reject: false });
  if (r.exitCode !== 0) return [];
  const links = JSON.parse(r.stdout) as Array<{ addr_info?: Array<{ local?: string }> }>;
  return links.flatMap((l) => (l.addr_info ?? []).map((a) => a.local ?? ''));
}
