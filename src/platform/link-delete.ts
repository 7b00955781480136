import { toPlatformError } from './capabilities.js';
import { native } from './native.js';
import { encodeIfInfoMsg, RTM_DELLINK } from './netlink/messages.js';
import { rtnlRequest } from './netlink/rtnl.js';

/** Deletes a link (e.g. a VMAC macvlan) by name. Idempotent: false when it does not exist. */
export function deleteLink(ifname: string): boolean {
  let ifindex: number;
  try {
    ifindex = native().ifNameToIndex(ifname);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENODEV') return false;
    throw toPlatformError(err, { action: `delete link ${ifname}`, ifname });
  }
  try {
    rtnlRequest(RTM_DELLINK, encodeIfInfoMsg({ ifindex }));
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ENODEV') return false;
    throw toPlatformError(err, { action: `delete link ${ifname}`, ifname, capability: 'CAP_NET_ADMIN' });
  }
}
