import { chmod, chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VrrpLabError } from '../../src/util/errors.js';
import type { TrackScriptSettings, VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import { addressFamily, instanceFamily, NGINX_PLACEHOLDER, stripPrefix } from './settings-checks.js';
import type { AdapterHost } from './types.js';

/**
 * keepalived.conf rendering, shared by the keepalived adapter and our vrrpd (which reads the same syntax).
 * Pure text generation lives in renderKeepalivedConf(); writeKeepalivedConf() puts it and the track
 * scripts on disk with the permissions keepalived's script security insists on.
 */

export interface RenderedScript {
  path: string;
  /** Full file content (shebang included). */
  content: string;
}

export interface RenderedKeepalivedConf {
  text: string;
  scripts: RenderedScript[];
}

/** Track scripts go in their own root-owned 0755 directory (docs/quirks.md Q13). */
export function scriptsDir(host: AdapterHost): string {
  return join(host.dir, 'scripts');
}

export function scriptPath(host: AdapterHost, scriptName: string): string {
  return join(scriptsDir(host), `${scriptName.replace(/[^A-Za-z0-9_.-]/g, '_')}.sh`);
}

/** Format a number the way keepalived reads it: no exponent, no trailing zeros (0.1, 1, 2.5). */
function num(x: number): string {
  return String(Number(x.toFixed(6)));
}

function scriptCommand(host: AdapterHost, s: TrackScriptSettings): string {
  if (!s.script.includes(NGINX_PLACEHOLDER)) return s.script;
  if (host.nginxCheck === undefined) {
    throw new VrrpLabError(`track script ${s.name} uses ${NGINX_PLACEHOLDER} but host ${host.name} has no nginx check`);
  }
  return s.script.split(NGINX_PLACEHOLDER).join(host.nginxCheck);
}

/** Track scripts by name across all instances (an instance may reuse another's script by name). */
function uniqueScripts(host: AdapterHost): TrackScriptSettings[] {
  const byName = new Map<string, TrackScriptSettings>();
  for (const inst of host.instances) for (const s of inst.trackScripts) if (!byName.has(s.name)) byName.set(s.name, s);
  return [...byName.values()];
}

function block(name: string, lines: string[], indent: string): string[] {
  return [`${indent}${name} {`, ...lines.map((l) => `${indent}  ${l}`), `${indent}}`];
}

/** keepalived's notify FIFO of a host: one `INSTANCE "VI_1" MASTER 100` line per state change. */
export function notifyFifoPath(host: Pick<AdapterHost, 'dir'>): string {
  return join(host.dir, 'notify.fifo');
}

function renderGlobalDefs(host: AdapterHost): string[] {
  const first = host.instances[0];
  const lines = [`router_id ${host.name}`];
  // One global version when all instances agree (the usual case); otherwise each instance says its own.
  const versions = new Set(host.instances.map((i) => i.version));
  if (versions.size === 1 && first) lines.push(`vrrp_version ${first.version}`);
  // script_user root: without it, and with no keepalived_script user, scripts are silently dropped (quirks Q13).
  lines.push('enable_script_security', 'script_user root');
  // State changes for the harness timeline (harness/observers/state-fifo.ts); vrrpd speaks the same protocol.
  lines.push(`notify_fifo ${notifyFifoPath(host)}`);
  if (first) {
    lines.push(
      `vrrp_garp_master_delay ${num(first.garp.masterDelayS)}`,
      `vrrp_garp_master_repeat ${first.garp.masterRepeat}`,
      `vrrp_garp_master_refresh ${num(first.garp.masterRefreshS)}`,
    );
  }
  return block('global_defs', lines, '');
}

function renderScript(host: AdapterHost, s: TrackScriptSettings): string[] {
  const lines = [`script "${scriptPath(host, s.name)}"`, `interval ${num(s.intervalS)}`];
  if (s.timeoutS !== undefined) lines.push(`timeout ${num(s.timeoutS)}`);
  lines.push(`weight ${s.weight}`, `rise ${s.rise}`, `fall ${s.fall}`);
  return block(`vrrp_script ${s.name}`, lines, '');
}

function renderInstance(host: AdapterHost, inst: VrrpInstanceSettings, perInstanceVersion: boolean): string[] {
  const fam = instanceFamily(inst);
  const lines = [
    `state ${inst.initialState}`,
    `interface ${host.ifname}`,
    `virtual_router_id ${inst.vrid}`,
    `priority ${inst.priority}`,
  ];
  if (perInstanceVersion) lines.push(`version ${inst.version}`);
  lines.push(`advert_int ${num(inst.advertIntervalS)}`);
  if (!inst.preempt) lines.push('nopreempt');
  if (inst.vmac) lines.push('use_vmac');
  if (inst.acceptMode !== undefined) lines.push(inst.acceptMode ? 'accept' : 'no_accept');
  if (inst.preemptDelayS > 0) lines.push(`preempt_delay ${num(inst.preemptDelayS)}`);
  // keepalived ignores (with a warning) authentication in v3, so only v2 gets the block.
  if (inst.authPass !== undefined && inst.version === 2) {
    lines.push(...block('authentication', ['auth_type PASS', `auth_pass ${inst.authPass}`], ''));
  }
  lines.push(
    ...block(
      'virtual_ipaddress',
      inst.vips.map((v) => `${v} dev ${host.ifname}`),
      '',
    ),
  );
  if (inst.unicast) {
    const src = host.addresses.find((a) => addressFamily(a) === fam);
    if (src) lines.push(`unicast_src_ip ${stripPrefix(src)}`);
    // One peer per line: "a b" on one line silently drops b at runtime (docs/quirks.md Q9).
    lines.push(
      ...block(
        'unicast_peer',
        host.peers
          .filter((p) => addressFamily(p) === fam)
          .map((p) => (inst.unicastMinTtl === undefined ? p : `${p} min_ttl ${inst.unicastMinTtl}`)),
        '',
      ),
    );
  }
  if (inst.trackScripts.length > 0) {
    lines.push(
      ...block(
        'track_script',
        inst.trackScripts.map((s) => s.name),
        '',
      ),
    );
  }
  // keepalived always tracks its own interface and warns "Ignoring track_interface X since own interface"
  // (keepalived -t exit 5) when it is listed: leave it out, the behaviour (link down = FAULT) is the same.
  const tracked = inst.trackInterfaces.filter((i) => i !== host.ifname);
  if (tracked.length > 0) lines.push(...block('track_interface', tracked, ''));
  lines.push(
    `garp_master_delay ${num(inst.garp.masterDelayS)}`,
    `garp_master_repeat ${inst.garp.masterRepeat}`,
    `garp_master_refresh ${num(inst.garp.masterRefreshS)}`,
  );
  return block(`vrrp_instance ${inst.name}`, lines, '');
}

/** keepalived.conf text plus the track-script files it refers to. Throws if {{nginxCheck}} has no value. */
export function renderKeepalivedConf(host: AdapterHost): RenderedKeepalivedConf {
  const scripts = uniqueScripts(host);
  const perInstanceVersion = new Set(host.instances.map((i) => i.version)).size > 1;
  const parts: string[][] = [renderGlobalDefs(host)];
  for (const s of scripts) parts.push(renderScript(host, s));
  for (const inst of host.instances) parts.push(renderInstance(host, inst, perInstanceVersion));
  return {
    text: `${parts.map((p) => p.join('\n')).join('\n\n')}\n`,
    scripts: scripts.map((s) => ({
      path: scriptPath(host, s.name),
      content: `#!/bin/sh\n# vrrp-lab track script ${s.name} for host ${host.name}\n${scriptCommand(host, s)}\n`,
    })),
  };
}

/**
 * Write the configuration to `confPath` and each track script as a root-owned 0755 file in a
 * root-owned 0755 directory; anything looser makes keepalived disable the check and run without it
 * (quirks Q13). chmod explicitly: the mode given to mkdir/writeFile is filtered by the umask.
 * Returns every path written.
 */
export async function writeKeepalivedConf(host: AdapterHost, confPath: string): Promise<string[]> {
  const rendered = renderKeepalivedConf(host);
  const written: string[] = [];
  if (rendered.scripts.length > 0) {
    const dir = scriptsDir(host);
    await mkdir(dir, { recursive: true });
    await secure(dir);
    for (const s of rendered.scripts) {
      await writeFile(s.path, s.content);
      await secure(s.path);
      written.push(s.path);
    }
  }
  await writeFile(confPath, rendered.text);
  written.unshift(confPath);
  return written;
}

async function secure(path: string): Promise<void> {
  if (process.getuid?.() === 0) await chown(path, 0, 0);
  await chmod(path, 0o755);
}
