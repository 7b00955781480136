import { execa } from 'execa';
import { CommandError } from '../../src/util/errors.js';
import { macvlanName, virtualMac } from './frr-conf.js';
import { instanceFamily } from './settings-checks.js';
import type { AdapterHost } from './types.js';

/**
 * The macvlans FRR vrrpd needs: FRR does not create them, it only flips `protodown` on them
 * (Backup = protodown on). One per VRID and family, VIP configured on it all the time.
 */

export interface FrrLink {
  name: string;
  family: 4 | 6;
  vrid: number;
  mac: string;
  vips: string[];
}

export function frrLinks(host: AdapterHost): FrrLink[] {
  return host.instances.map((inst) => {
    const family = instanceFamily(inst);
    return {
      name: macvlanName(inst.vrid, family),
      family,
      vrid: inst.vrid,
      mac: virtualMac(inst.vrid, family),
      vips: inst.vips,
    };
  });
}

async function deleteLink(host: AdapterHost, name: string): Promise<void> {
  try {
    await host.exec('ip', ['link', 'del', 'dev', name]);
  } catch (err) {
    if (!(err instanceof CommandError && /Cannot find device|does not exist/i.test(err.stderr))) throw err;
  }
}

/** Create (or re-create, so no state from a crashed run survives) every macvlan, exactly as docs/quirks.md Q20. */
export async function setupFrrLinks(host: AdapterHost): Promise<void> {
  // Without these the FRR node answers ARP for the VIP from the parent with its real MAC, even as
  // Backup (quirks Q19 i). Slash form: interface names may contain dots.
  await host.exec('sysctl', [
    '-q',
    '-w',
    `net/ipv4/conf/${host.ifname}/arp_ignore=1`,
    `net/ipv4/conf/${host.ifname}/arp_announce=2`,
  ]);
  for (const l of frrLinks(host)) {
    await deleteLink(host, l.name);
    await host.exec('ip', ['link', 'add', l.name, 'link', host.ifname, 'type', 'macvlan', 'mode', 'bridge']);
    // Must be a separate `ip link set`: as an `ip link add` argument iproute2 6.1 fails with
    // "Address family not supported by protocol".
    await host.exec('ip', ['link', 'set', 'dev', l.name, 'addrgenmode', 'random']);
    await host.exec('ip', ['link', 'set', 'dev', l.name, 'address', l.mac]);
    // Down to the data plane until vrrpd decides it is Master.
    await host.exec('ip', ['link', 'set', 'dev', l.name, 'protodown', 'on']);
    for (const vip of l.vips) {
      // nodad: every FRR node carries the VIP permanently; DAD would flag it duplicate on the Master.
      await host.exec('ip', ['addr', 'add', vip, 'dev', l.name, ...(l.family === 6 ? ['nodad'] : [])]);
    }
    await host.exec('ip', ['link', 'set', 'dev', l.name, 'up']);
  }
}

/** Delete the macvlans (and with them the VIPs). After a crash the VIP may still be live on one (quirks Q19 iv). */
export async function removeFrrLinks(host: AdapterHost): Promise<void> {
  for (const l of frrLinks(host)) await deleteLink(host, l.name);
}

interface IpLinkJson {
  ifname?: string;
  flags?: string[];
  proto_down?: boolean;
}

/** Holder = the macvlan exists, is up and has protodown off (quirks Q19 iii). `ip -j -d link show` output. */
export function holdsFromIpJson(json: string): boolean {
  const links = JSON.parse(json) as IpLinkJson[];
  const l = links[0];
  return l !== undefined && l.proto_down !== true && (l.flags ?? []).includes('UP');
}

/** Whether FRR in network namespace `netns` currently holds the VIPs on `macvlan`. Missing link = no. */
export async function frrHolds(netns: string, macvlan: string): Promise<boolean> {
  const r = await execa('ip', ['-n', netns, '-j', '-d', 'link', 'show', 'dev', macvlan], { reject: false });
  if (r.exitCode !== 0) return false;
  return holdsFromIpJson(r.stdout);
}

/** Same as frrHolds, through the host's exec (works for any backend). */
export async function frrHoldsOnHost(host: AdapterHost, macvlan: string): Promise<boolean> {
  try {
    const { stdout } = await host.exec('ip', ['-j', '-d', 'link', 'show', 'dev', macvlan]);
    return holdsFromIpJson(stdout);
  } catch (err) {
    if (err instanceof CommandError) return false;
    throw err;
  }
}
