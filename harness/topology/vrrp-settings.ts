import { z } from 'zod';

/**
 * Implementation-neutral VRRP instance settings for one host. Each adapter (vrrpd, keepalived, FRR)
 * renders its own configuration from this; a setting an implementation cannot express is reported
 * by the adapter as "unsupported", never silently dropped.
 */
export const trackScriptSchema = z.object({
  name: z.string().min(1),
  /** Shell command; `{{nginxCheck}}` is replaced by the host's nginx health check command. */
  script: z.string().min(1),
  intervalS: z.number().positive().default(1),
  timeoutS: z.number().positive().optional(),
  /** 0 = failure puts the instance in FAULT (keepalived semantics). */
  weight: z.number().int().min(-253).max(253).default(0),
  rise: z.number().int().min(1).default(1),
  fall: z.number().int().min(1).default(1),
});

export const garpSettingsSchema = z.object({
  /** Gratuitous ARPs per VIP on becoming Master (keepalived garp_master_repeat, default 5). */
  masterRepeat: z.number().int().min(1).default(5),
  /** Second burst after this many seconds (keepalived garp_master_delay, default 5; 0 = none). */
  masterDelayS: z.number().min(0).default(5),
  /** Periodic refresh while Master (keepalived garp_master_refresh, 0 = off). */
  masterRefreshS: z.number().min(0).default(0),
});

export const vrrpInstanceSchema = z.object({
  name: z.string().default('VI_1'),
  vrid: z.number().int().min(1).max(255),
  priority: z.number().int().min(1).max(255).default(100),
  version: z.union([z.literal(2), z.literal(3)]).default(2),
  /** Seconds; sub-second values need version 3. */
  advertIntervalS: z.number().positive().default(1),
  /** VIPs with prefix length, one address family per instance (e.g. "10.0.0.254/24", "2001:db8::254/64"). */
  vips: z.array(z.string()).min(1),
  preempt: z.boolean().default(true),
  preemptDelayS: z.number().min(0).default(0),
  initialState: z.enum(['BACKUP', 'MASTER']).default('BACKUP'),
  /** When true, adverts go to every other host's address on the link instead of 224.0.0.18 / ff02::12. */
  unicast: z.boolean().default(false),
  /**
   * With unicast: accept adverts only with a TTL / hop limit of at least this (keepalived `min_ttl` on each
   * peer). keepalived and vrrpd skip the RFC's TTL = 255 check for unicast unless it is set; 255 gives the RFC's.
   */
  unicastMinTtl: z.number().int().min(1).max(255).optional(),
  /** v2 simple-text password (RFC 2338 PASS); unsupported by FRR. */
  authPass: z.string().max(8).optional(),
  trackScripts: z.array(trackScriptSchema).default([]),
  /** Interface names (on this host) whose link state is tracked; link down = FAULT. */
  trackInterfaces: z.array(z.string()).default([]),
  /** Send from and answer with the virtual MAC 00:00:5e:00:01:VRID (keepalived use_vmac; FRR always does). */
  vmac: z.boolean().optional(),
  /** RFC 5798 Accept_Mode; absent = the implementation's default (keepalived accept, FRR always accepts). */
  acceptMode: z.boolean().optional(),
  garp: garpSettingsSchema.default({ masterRepeat: 5, masterDelayS: 5, masterRefreshS: 0 }),
});

export type TrackScriptSettings = z.infer<typeof trackScriptSchema>;
export type GarpSettings = z.infer<typeof garpSettingsSchema>;
export type VrrpInstanceSettings = z.infer<typeof vrrpInstanceSchema>;
