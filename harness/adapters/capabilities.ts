/**
 * Settings a scenario or a conformance case may need and an implementation may be unable to express.
 * An adapter lists those it cannot express (`unsupportedSettings`); a case that needs one of them is
 * skipped with that reason instead of being run with the setting silently dropped.
 */
export const SETTINGS = [
  'v2',
  'v3',
  'ipv4',
  'ipv6',
  'unicast',
  'owner',
  'vmac',
  'accept_mode',
  'nopreempt',
  'preempt_delay',
  'auth_pass',
  'subsecond',
  'checksum_9568',
  'track_script',
] as const;

export type Setting = (typeof SETTINGS)[number];

export function isSetting(s: string): s is Setting {
  return (SETTINGS as readonly string[]).includes(s);
}
