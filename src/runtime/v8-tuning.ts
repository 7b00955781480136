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
 */
export const DAEMON_V8_FLAGS = ['--semi-space-growth-factor=1', '--optimize-for-size'] as const;

export function tuneV8ForDaemon(): void {
  for (const flag of DAEMON_V8_FLAGS) setFlagsFromString(flag);
}
