import { join } from 'node:path';
import type { VrrpInstanceSettings } from '../topology/vrrp-settings.js';
import { instanceFamily, stripPrefix } from './settings-checks.js';
import type { AdapterHost } from './types.js';

/** Pure rendering for FRR 8.4 vrrpd: file names, macvlan names/MACs, zebra.conf, vrrpd.conf, start script. */

export function frrDir(host: AdapterHost): string {
  return join(host.dir, 'frr');
}

export function frrFiles(host: AdapterHost) {
  const d = frrDir(host);
  const f = (name: string) => join(d, name);
  return {
    dir: d,
    /** Bind-mounted over /var/tmp inside the daemons' mount namespace (FRR's crash logs land there). */
    varTmp: f('vartmp'),
    zebraConf: f('zebra.conf'),
    vrrpdConf: f('vrrpd.conf'),
    startScript: f('start.sh'),
    zebraPid: f('zebra.pid'),
    vrrpdPid: f('vrrpd.pid'),
    zserv: f('zserv.api'),
    zebraVty: f('zebra.vty'),
    vrrpdVty: f('vrrpd.vty'),
    zebraLog: f('zebra.log'),
    vrrpdLog: f('vrrpd.log'),
    zebraOut: f('zebra.out'),
    vrrpdOut: f('vrrpd.out'),
  };
}

/** `vl4-51` / `vl6-51`: at most 7 characters, far below IFNAMSIZ (15), unique per VRID and family. */
export function macvlanName(vrid: number, family: 4 | 6): string {
  return `vl${family}-${vrid}`;
}

/** RFC 5798 §7.3 virtual MAC: 00:00:5e:00:01:VRID (IPv4), 00:00:5e:00:02:VRID (IPv6). */
export function virtualMac(vrid: number, family: 4 | 6): string {
  return `00:00:5e:00:0${family === 4 ? 1 : 2}:${vrid.toString(16).padStart(2, '0')}`;
}

export function renderZebraConf(host: AdapterHost): string {
  return `hostname ${host.name}\nlog file ${frrFiles(host).zebraLog}\n`;
}

/** Instances grouped by VRID: FRR has one router per VRID holding both the v4 and the v6 addresses. */
function byVrid(host: AdapterHost): Map<number, VrrpInstanceSettings[]> {
  const groups = new Map<number, VrrpInstanceSettings[]>();
  for (const inst of host.instances) groups.set(inst.vrid, [...(groups.get(inst.vrid) ?? []), inst]);
  return groups;
}

export function renderVrrpdConf(host: AdapterHost): string {
  const lines = [
    `hostname ${host.name}`,
    `log file ${frrFiles(host).vrrpdLog} debugging`,
    'log timestamp precision 6',
    'debug vrrp protocol',
    '!',
    `interface ${host.ifname}`,
  ];
  for (const [vrid, insts] of byVrid(host)) {
    // Version, priority, interval and preempt are per VRID in FRR; conflicting instances are unsupported().
    const first = insts[0]!;
    lines.push(
      ` vrrp ${vrid} version ${first.version}`,
      ` vrrp ${vrid} priority ${first.priority}`,
      ` vrrp ${vrid} advertisement-interval ${Math.round(first.advertIntervalS * 1000)}`,
    );
    if (!first.preempt) lines.push(` no vrrp ${vrid} preempt`);
    for (const inst of insts) {
      const kw = instanceFamily(inst) === 4 ? 'ip' : 'ipv6';
      for (const vip of inst.vips) lines.push(` vrrp ${vrid} ${kw} ${stripPrefix(vip)}`);
    }
  }
  lines.push('!');
  return `${lines.join('\n')}\n`;
}

function sq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run by `unshare -m --propagation private sh start.sh` inside the host: the private mount namespace
 * gets /var/tmp bound to our directory and a fresh tmpfs on /run/frr (not all of /run: the harness's run
 * directories live under /run/vrrp-lab), so FRR writes nothing outside the
 * run directory (docs/quirks.md Q20). Daemons run as frr: they refuse `-u root`. `-P 0` = no TCP vty.
 */
export function renderStartScript(host: AdapterHost): string {
  const f = frrFiles(host);
  const daemon = (name: 'zebra' | 'vrrpd', conf: string, pid: string, out: string) =>
    [
      `/usr/lib/frr/${name} -d -u frr -g frr -f ${sq(conf)} -i ${sq(pid)} -z ${sq(f.zserv)}`,
      `--vty_socket ${sq(f.dir)} -P 0 --log ${sq(`file:${out}`)} </dev/null >>${sq(`${out}.stdout`)} 2>&1`,
    ].join(' ');
  return [
    '#!/bin/sh',
    `# FRR zebra + vrrpd for vrrp-lab host ${host.name}; run as: unshare -m --propagation private sh start.sh`,
    'set -e',
    `mount --bind ${sq(f.varTmp)} /var/tmp`,
    'mkdir -p /run/frr',
    'mount -t tmpfs tmpfs /run/frr',
    daemon('zebra', f.zebraConf, f.zebraPid, f.zebraOut),
    daemon('vrrpd', f.vrrpdConf, f.vrrpdPid, f.vrrpdOut),
    '',
  ].join('\n');
}
