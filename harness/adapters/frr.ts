import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { PlatformError } from '../../src/util/errors.js';
import { waitFor } from '../lab/wait-for.js';
import { frrFiles, macvlanName, renderStartScript, renderVrrpdConf, renderZebraConf, virtualMac } from './frr-conf.js';
import { removeFrrLinks, setupFrrLinks } from './frr-links.js';
import type { LabAdapter } from './lab-adapter.js';
import {
  freezeAll,
  livePidFromFile,
  logTail,
  procState,
  removeStalePidFiles,
  signal,
  terminate,
  thawAll,
  waitExit,
} from './proc.js';
import { unknownStates } from './reported-state.js';
import { instanceFamily, protocolProblems, stripPrefix } from './settings-checks.js';
import { recordSignal } from './signal-log.js';
import type { AdapterHost, ReportedInstanceState } from './types.js';

export { frrHolds, frrHoldsOnHost, removeFrrLinks } from './frr-links.js';

/** FRR 8.4.4 zebra + vrrpd per host, all state under host.dir/frr (docs/quirks.md Q20). */

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
/** sun_path is 108 bytes including the NUL. */
const MAX_SOCKET_PATH = 107;

/** Settings FRR vrrpd cannot express (docs/quirks.md Q20). */
export function frrProblems(host: AdapterHost): string[] {
  const out: string[] = [];
  for (const inst of host.instances) {
    const tag = `${inst.name} (VRID ${inst.vrid})`;
    if (inst.version === 2 && inst.authPass !== undefined) out.push(`${tag}: FRR implements no VRRPv2 authentication`);
    if (inst.unicast) out.push(`${tag}: FRR vrrpd is multicast only`);
    // Its own interface is implicitly tracked (down = Initialize), like keepalived's.
    const tracked = inst.trackInterfaces.filter((i) => i !== host.ifname);
    if (inst.trackScripts.length > 0 || tracked.length > 0) out.push(`${tag}: FRR vrrpd has no tracking`);
    if (inst.preemptDelayS > 0) out.push(`${tag}: FRR vrrpd has no preempt delay`);
    if (inst.priority === 255) out.push(`${tag}: FRR cannot be configured as owner (priority 1..254)`);
    if (inst.acceptMode === false) out.push(`${tag}: FRR vrrpd has no Accept_Mode False (its Master always accepts)`);
    if (inst.vmac === false) out.push(`${tag}: FRR vrrpd always uses the VMAC`);
    // FRR's 10 ms interval steps match VRRPv3's centiseconds: protocolProblems() already reports the rest.
  }
  // One FRR router per VRID carries both families: its settings are shared.
  const byVrid = new Map<number, (typeof host.instances)[number]>();
  for (const inst of host.instances) {
    const other = byVrid.get(inst.vrid);
    if (
      other &&
      (other.priority !== inst.priority ||
        other.version !== inst.version ||
        other.advertIntervalS !== inst.advertIntervalS ||
        other.preempt !== inst.preempt)
    ) {
      out.push(`VRID ${inst.vrid}: FRR shares priority/version/interval/preempt between the IPv4 and IPv6 router`);
    }
    byVrid.set(inst.vrid, inst);
  }
  return out;
}

/**
 * Behaviour that differs from the settings but does not stop a run. GARPs are a difference, not
 * unsupported: FRR's 1 GARP per VIP is fixed, and treating the default 5 + 5 as unsupported would
 * exclude FRR from every scenario; the GARP count is what a report should flag.
 */
export function frrDifferences(host: AdapterHost): string[] {
  const out: string[] = [];
  for (const inst of host.instances) {
    const tag = `${inst.name} (VRID ${inst.vrid})`;
    const g = inst.garp;
    if (g.masterRepeat !== 1 || g.masterDelayS !== 0 || g.masterRefreshS !== 0) {
      out.push(
        `${tag}: FRR sends 1 GARP/NA per VIP on becoming Master (configured: ${g.masterRepeat}, ` +
          `second burst after ${g.masterDelayS} s, refresh ${g.masterRefreshS} s)`,
      );
    }
    if (inst.initialState === 'MASTER') out.push(`${tag}: FRR always starts in Backup and waits Master_Down`);
    out.push(
      `${tag}: FRR advertises and answers from the virtual MAC ${virtualMac(inst.vrid, instanceFamily(inst))} (quirks Q19 v)`,
    );
  }
  return out;
}

const FRR_STATES: Record<string, ReportedInstanceState['state']> = {
  Master: 'MASTER',
  Backup: 'BACKUP',
  Initialize: 'INIT',
};

interface FrrRouterJson {
  vrid?: number;
  v4?: { status?: string; effectivePriority?: number };
  v6?: { status?: string; effectivePriority?: number };
}

/** Map `show vrrp json` onto the host's instances (one FRR router per VRID, v4 and v6 halves). */
export function mapFrrState(host: AdapterHost, json: string): ReportedInstanceState[] {
  const routers = JSON.parse(json) as FrrRouterJson[];
  return host.instances.map((inst) => {
    const r = routers.find((x) => x.vrid === inst.vrid);
    const half = instanceFamily(inst) === 4 ? r?.v4 : r?.v6;
    return {
      instance: inst.name,
      vrid: inst.vrid,
      state: FRR_STATES[half?.status ?? ''] ?? 'UNKNOWN',
      ...(half?.effectivePriority === undefined ? {} : { effectivePriority: half.effectivePriority }),
    };
  });
}

async function livePids(host: AdapterHost) {
  const f = frrFiles(host);
  return { zebra: await livePidFromFile(f.zebraPid), vrrpd: await livePidFromFile(f.vrrpdPid) };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export const frrAdapter: LabAdapter = {
  name: 'frr',
  // 8.4.4: multicast only, no tracking, no preempt delay, priority 1..254, no v2 auth; the Master always
  // accepts (no Accept_Mode knob) and the v3 IPv4 checksum always has the pseudo-header (the knob is 8.5+).
  unsupportedSettings: [
    'owner',
    'unicast',
    'auth_pass',
    'track_script',
    'preempt_delay',
    'accept_mode',
    'checksum_9568',
  ],

  unsupported(host) {
    return [...protocolProblems(host), ...frrProblems(host)];
  },

  differences: frrDifferences,

  async render(host) {
    const f = frrFiles(host);
    await mkdir(f.varTmp, { recursive: true });
    await writeFile(f.zebraConf, renderZebraConf(host));
    await writeFile(f.vrrpdConf, renderVrrpdConf(host));
    await writeFile(f.startScript, renderStartScript(host), { mode: 0o755 });
    return [f.zebraConf, f.vrrpdConf, f.startScript];
  },

  async start(host) {
    const f = frrFiles(host);
    for (const s of [f.zserv, f.zebraVty, f.vrrpdVty]) {
      if (Buffer.byteLength(s) > MAX_SOCKET_PATH) {
        throw new PlatformError(
          `FRR socket path too long for a unix socket (${Buffer.byteLength(s)} > ${MAX_SOCKET_PATH}): ${s}`,
        );
      }
    }
    const running = await livePids(host);
    if (running.zebra !== undefined || running.vrrpd !== undefined) {
      throw new PlatformError(`FRR already runs on ${host.name} (zebra ${running.zebra}, vrrpd ${running.vrrpd})`);
    }
    await removeStalePidFiles([f.zebraPid, f.vrrpdPid]);
    for (const s of [f.zserv, f.zebraVty, f.vrrpdVty]) await rm(s, { force: true });
    await setupFrrLinks(host);
    // The daemons drop to frr:frr and then write pid files, sockets and logs here.
    await host.exec('chown', ['-R', 'frr:frr', f.dir]);
    // -d: the daemons fork into the background (stdio closed), so exec returns once both are launched;
    // the private mount namespace lives as long as they do.
    await host.exec('unshare', ['-m', '--propagation', 'private', 'sh', f.startScript]);
    const outcome = await waitFor(
      async () => {
        const p = await livePids(host);
        if (p.zebra !== undefined && p.vrrpd !== undefined && (await exists(f.vrrpdVty))) return 'running';
        // Pid file present but process gone = it died after daemonizing.
        const died = async (file: string) => {
          const pid = await livePidFromFile(file);
          return pid === undefined && (await exists(file));
        };
        return ((await died(f.zebraPid)) || (await died(f.vrrpdPid))) && 'exited';
      },
      { description: `FRR zebra and vrrpd on ${host.name}`, timeoutMs: START_TIMEOUT_MS },
    );
    if (outcome === 'exited') {
      throw new PlatformError(
        `FRR on ${host.name} exited at startup:\n${await logTail(f.zebraOut)}\n${await logTail(f.vrrpdOut)}`,
      );
    }
  },

  async stop(host) {
    const p = await livePids(host);
    // vrrpd FIRST (SIGTERM: it sends priority 0 and sets protodown on through zebra), then zebra.
    // Stopped together, the macvlan was once left protodown off, VIP live, with FRR gone (quirks Q19 iv).
    if (p.vrrpd !== undefined) {
      recordSignal(host, 'frr', 'stop');
      // zebra must run to apply vrrpd's last protodown change, so thaw it first if frozen.
      if (p.zebra !== undefined && procState(p.zebra) === 'T') signal(p.zebra, 'SIGCONT');
      terminate(p.vrrpd);
      await waitExit(p.vrrpd, STOP_TIMEOUT_MS, `FRR vrrpd on ${host.name}`);
    }
    if (p.zebra !== undefined) {
      terminate(p.zebra);
      await waitExit(p.zebra, STOP_TIMEOUT_MS, `FRR zebra on ${host.name}`);
    }
    // Nothing manages the macvlans any more; leave the host as keepalived leaves it (no VIPs).
    await removeFrrLinks(host);
  },

  async kill(host) {
    const p = await livePids(host);
    if (p.vrrpd === undefined && p.zebra === undefined) return;
    recordSignal(host, 'frr', 'kill');
    // Crash: no cleanup, so the macvlans stay as they are (possibly protodown off = stale VIP, cleanupStale()).
    for (const pid of [p.vrrpd, p.zebra]) if (pid !== undefined) signal(pid, 'SIGKILL');
    for (const pid of [p.vrrpd, p.zebra]) {
      if (pid !== undefined) await waitExit(pid, STOP_TIMEOUT_MS, 'FRR daemon');
    }
    // Killed daemons leave their pid files; a later pid reuse must not make them look alive.
    const f = frrFiles(host);
    await removeStalePidFiles([f.zebraPid, f.vrrpdPid]);
  },

  async freeze(host) {
    const p = await livePids(host);
    recordSignal(host, 'frr', 'freeze');
    await freezeAll([p.vrrpd, p.zebra]);
  },

  async thaw(host) {
    const p = await livePids(host);
    recordSignal(host, 'frr', 'thaw');
    // zebra first, so it is there to process whatever vrrpd does the moment it resumes.
    await thawAll([p.zebra, p.vrrpd]);
  },

  async state(host) {
    const p = await livePids(host);
    if (p.vrrpd === undefined || p.zebra === undefined) return unknownStates(host);
    // A frozen daemon never answers and vtysh has no timeout.
    if (procState(p.vrrpd) === 'T' || procState(p.zebra) === 'T') return unknownStates(host);
    const { stdout } = await host.exec('vtysh', ['--vty_socket', frrFiles(host).dir, '-c', 'show vrrp json']);
    return mapFrrState(host, stdout);
  },

  holderInterface(host, vip) {
    const inst = host.instances.find((i) => i.vips.some((v) => stripPrefix(v) === stripPrefix(vip)));
    return inst ? macvlanName(inst.vrid, instanceFamily(inst)) : undefined;
  },

  async cleanupStale(host) {
    await removeFrrLinks(host);
  },
};
