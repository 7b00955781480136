import { setFlagsFromString } from 'node:v8';

/**
 * V8 heap settings for a long-running daemon with a small live set, applied at run time (no re-exec, which
 * would cost a second Node start-up, and nothing for the caller to pass in NODE_OPTIONS).
 * - The young generation starts at 1 MiB semi-spaces and, by default, grows to 16 MiB ones under a steady
 *   allocation rate (255 instances at 0.1 s: 32 MiB reserved, ~22 MiB resident). A growth factor of 1 keeps it
 *   at its start size; `--max-semi-space-size` would do the same but only as a start-up flag.
 * - `--optimize-for-size` makes the old generation grow in smaller steps, so promoted garbage is collected
 *   sooner instead of being kept resident.
 * Measured on 255 instances at 0.1 s (one Master process): RSS 88-96 MiB → 61-65 MiB, CPU within the noise.
 * - No optimizing (TurboFan) nor baseline (Sparkplug) compiler: in the steady state the addon sends a Master's
 *   adverts and takes a Backup's repeats, so almost no JavaScript runs, and what runs at start-up or on events
 *   is cold. The compilers' own code in the node binary, paged in at the first hot loop of the start-up, was
 *   the largest part of the resident set left: 255 instances 55.6 → 48.4 MiB. The price is throughput when
 *   JavaScript is hot: under a 50,000 packets/s flood of fuzzed packets a router handles 26-43 % fewer
 *   before the kernel drops the rest (docs/design.md, Memory).
 */
export const DAEMON_V8_FLAGS = [
  '--semi-space-growth-factor=1',
  '--optimize-for-size',
  '--no-turbofan',
  '--no-sparkplug',
] as const;

export function tuneV8ForDaemon(): void {
  for (const flag of DAEMON_V8_FLAGS) setFlagsFromString(flag);
}
