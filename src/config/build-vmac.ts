/**
 * `use_vmac [IFNAME] [MAC]` as keepalived 2.2.7's vrrp_vmac_handler() reads it: up to two words, a word
 * with ':' is the MAC (5 octets: the VRID is the sixth), anything else the interface name.
 */
import type { Diagnostics } from './diagnostics.js';
import type { VmacConfig } from './model.js';
import type { Statement } from './tree.js';

const IFNAME = /^[^\s/:]{1,15}$/;

export function buildUseVmac(s: Statement, previous: VmacConfig | undefined, diags: Diagnostics): VmacConfig {
  const v: VmacConfig = { xmitBase: previous?.xmitBase ?? false, pos: s.pos };
  for (const a of s.args.slice(0, 2)) {
    if (a.value.includes(':')) {
      const octets = a.value.replace(/:$/, '').split(':');
      const ok = (octets.length === 5 || octets.length === 6) && octets.every((o) => /^[0-9a-fA-F]{1,2}$/.test(o));
      if (!ok) {
        diags.error(a.pos, `use_vmac: invalid MAC address '${a.value}'`, 'use_vmac');
        continue;
      }
      const bytes = octets.map((o) => Number.parseInt(o, 16));
      if ((bytes[0]! & 1) === 1) {
        diags.error(a.pos, `use_vmac: MAC address '${a.value}' is multicast`, 'use_vmac');
        continue;
      }
      if (
        bytes[0] === 0 &&
        bytes[1] === 0 &&
        bytes[2] === 0x5e &&
        bytes[3] === 0 &&
        (bytes[4] === 1 || bytes[4] === 2)
      ) {
        diags.error(a.pos, `use_vmac: MAC address '${a.value}' may not be an RFC 5798 VRRP address`, 'use_vmac');
        continue;
      }
      v.mac = octets.map((o) => o.toLowerCase().padStart(2, '0')).join(':');
    } else if (!IFNAME.test(a.value)) {
      diags.error(a.pos, `use_vmac: interface name '${a.value}' too long or invalid`, 'use_vmac');
    } else v.ifname = a.value;
  }
  if (s.args.length > 2) diags.error(s.args[2]!.pos, `use_vmac: unexpected '${s.args[2]!.value}'`, 'use_vmac');
  return v;
}
