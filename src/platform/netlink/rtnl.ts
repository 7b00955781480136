/** Synchronous rtnetlink requests through the addon (see rtnl_request in vrrp_socket.c). */
import { errnoError } from '../errno.js';
import { type NativeHandle, native } from '../native.js';
import {
  encodeMessage,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_REQUEST,
  NLMSG_DONE,
  type NlMessage,
  parseErrorMessage,
  parseMessages,
} from './messages.js';

let nextSeq = 1;

const TYPE_NAMES: Record<number, string> = {
  18: 'RTM_GETLINK',
  20: 'RTM_NEWADDR',
  21: 'RTM_DELADDR',
  22: 'RTM_GETADDR',
};

/**
 * Sends one request. For a dump (NLM_F_DUMP) returns every reply message; otherwise asks for an ACK
 * and returns the answer messages (empty for a plain ACK). A kernel error throws an Error with the
 * errno name as `code` and `syscall` "rtnetlink(RTM_…)". `socket` (from native().openRtnl()) pins the
 * request to the network namespace that socket was created in; by default a temporary socket is used.
 */
export function rtnlRequest(type: number, body: Buffer, flags = 0, socket?: NativeHandle): NlMessage[] {
  const seq = nextSeq++;
  const dump = (flags & NLM_F_DUMP) === NLM_F_DUMP;
  const request = encodeMessage({ type, flags: NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK) | flags, seq }, body);
  const replies = parseMessages(native().rtnlRequest(request, socket));
  const out: NlMessage[] = [];
  for (const m of replies) {
    if (m.seq !== seq) continue;
    const err = parseErrorMessage(m);
    if (err) {
      if (err.errno !== 0) throw errnoError(err.errno, `rtnetlink(${TYPE_NAMES[type] ?? type})`, err.message);
      break;
    }
    if (m.type === NLMSG_DONE) break;
    out.push(m);
  }
  return out;
}
