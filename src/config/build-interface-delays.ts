import type { Diagnostics } from './diagnostics.js';
import type { InterfaceDelay } from './model.js';
import type { Statement } from './tree.js';
import { DECIMAL_SECONDS, expectBlock } from './values.js';

/** keepalived's limit for either delay (read_timer(..., 0, 255 * TIMER_HZ)). */
const MAX_DELAY_S = 255;

/**
 * `interface_up_down_delays { IFNAME DOWN_DELAY [UP_DELAY] ... }` (keepalived 2.2.7 vrrp_parser.c
 * alloc_if_up_down_delay). keepalived ignores a line it cannot read, with a log line; vrrpd warns with the
 * line's position instead and ignores it the same way. An omitted UP_DELAY is 0, as keepalived 2.2.7's code
 * does — its man page says "the same as the down delay" (docs/quirks.md Q50).
 */
export function buildInterfaceDelays(s: Statement, diags: Diagnostics): InterfaceDelay[] {
  const out: InterfaceDelay[] = [];
  for (const line of expectBlock(s, diags)) {
    const ifname = line.keyword;
    const [down, up, ...extra] = line.args;
    if (line.block !== undefined) {
      diags.error(line.blockPos ?? line.pos, `interface_up_down_delays: '${ifname}' does not take a '{ }' block`);
      continue;
    }
    if (down === undefined) {
      diags.warning(line.pos, `interface_up_down_delays: no delays for ${ifname}; the line is ignored`, s.keyword);
      continue;
    }
    if (extra.length > 0) {
      diags.warning(
        extra[0]!.pos,
        `interface_up_down_delays: too many values for ${ifname}; the rest is ignored`,
        s.keyword,
      );
    }
    const seconds = (value: string, what: string): number | undefined => {
      const n = DECIMAL_SECONDS.test(value) ? Number(value) : Number.NaN;
      if (Number.isNaN(n) || n > MAX_DELAY_S) {
        diags.warning(
          line.pos,
          `interface_up_down_delays: invalid ${what} delay '${value}' for ${ifname} (0..${MAX_DELAY_S} s); the line is ignored`,
          s.keyword,
        );
        return undefined;
      }
      return n;
    };
    const downS = seconds(down.value, 'down');
    const upS = up === undefined ? 0 : seconds(up.value, 'up');
    if (downS === undefined || upS === undefined) continue;
    const previous = out.findIndex((d) => d.ifname === ifname);
    if (previous >= 0) out.splice(previous, 1);
    out.push({ ifname, downS, upS, pos: line.pos });
  }
  return out;
}
