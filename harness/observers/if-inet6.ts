/** One line of /proc/<pid>/net/if_inet6: "fd00...fe 02 40 00 82     eth0". All numbers are hex. */
export interface Inet6Entry {
  /** 32 lowercase hex digits. */
  hex: string;
  ifindex: number;
  prefixLen: number;
  scope: number;
  flags: number;
  ifname: string;
}

// include/uapi/linux/if_addr.h
export const IFA_F_DADFAILED = 0x08;
export const IFA_F_TENTATIVE = 0x40;

export function parseIfInet6(text: string): Inet6Entry[] {
  const out: Inet6Entry[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || f[0]!.length !== 32) continue;
    out.push({
      hex: f[0]!.toLowerCase(),
      ifindex: Number.parseInt(f[1]!, 16),
      prefixLen: Number.parseInt(f[2]!, 16),
      scope: Number.parseInt(f[3]!, 16),
      flags: Number.parseInt(f[4]!, 16),
      ifname: f[5]!,
    });
  }
  return out;
}

/**
 * Addresses the namespace actually answers for. A tentative address (DAD still running) or one whose DAD
 * failed is listed but the kernel neither uses it as a source nor answers Neighbour Solicitations for it,
 * so it does not make the host a VIP holder yet.
 */
export function usableInet6(text: string): Set<string> {
  const held = new Set<string>();
  for (const e of parseIfInet6(text)) {
    if ((e.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) === 0) held.add(e.hex);
  }
  return held;
}
