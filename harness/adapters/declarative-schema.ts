import { z } from 'zod';
import { SETTINGS } from './capabilities.js';
import { PLACEHOLDERS, unknownPlaceholders } from './placeholders.js';

/**
 * A declarative adapter file (.yaml/.yml/.json): how to start and stop an implementation that reads
 * a keepalived.conf. Everything else (who holds the VIPs, what goes on the wire) is observed without
 * the implementation's help.
 */

const withPlaceholders = (minLength: number) =>
  z
    .string()
    .min(minLength)
    .superRefine((s, ctx) => {
      for (const name of unknownPlaceholders(s)) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {${name}} (known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')})`,
        });
      }
    });

/** A command as an argv list, run without a shell. */
const argv = z.array(withPlaceholders(1)).min(1, 'a command needs at least the program');

/** Signals a graceful stop may use; a crash is always SIGKILL. */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const;

export const declarativeAdapterSchema = z
  .object({
    /** Shown in reports, manifests and the `--impl` matrix. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, 'letters, digits, "_", "." and "-" (at most 40)'),
    /** The configuration vrrp-lab renders per host; keepalived.conf is what most VRRP daemons read. */
    config: z.enum(['keepalived']),
    /** Foreground process started inside the host's namespace or container. */
    start: argv,
    /**
     * Optional: a file the implementation creates once it runs (a pid file, a socket; relative = in {dir}).
     * vrrp-lab removes it before `start` and waits for it; without it, "running" = started and alive.
     */
    ready: withPlaceholders(1).optional(),
    stop: z.enum(STOP_SIGNALS).default('SIGTERM'),
    /** Settings the implementation cannot express: scenarios and cases that need one skip with this reason. */
    unsupported: z.array(z.enum(SETTINGS)).default([]),
    /** Added to the environment of `start` and `state`. */
    env: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), withPlaceholders(0))
      .default({}),
    /** Optional command printing the instance states as JSON (see ReportedInstanceState). */
    state: argv.optional(),
  })
  .strict();

export type DeclarativeAdapterSpec = z.infer<typeof declarativeAdapterSchema>;
