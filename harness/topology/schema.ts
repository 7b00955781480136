import { z } from 'zod';
import { BUILT_IN_IMPLS } from '../adapters/built-in-names.js';
import { isCidr } from './cidr.js';
import { vrrpInstanceSchema } from './vrrp-settings.js';

/**
 * The topology document: the same schema validates YAML files and objects built in TypeScript.
 * Names end up inside kernel object names (`vl-<rid>-<host>` namespaces), hence the tight patterns.
 */

const NAME = /^[a-z][a-z0-9]{0,11}$/;
const nameMessage = 'must be 1-12 characters [a-z0-9], starting with a letter';

const cidrSchema = z.string().refine(isCidr, { message: 'invalid CIDR' });

/** Interface names are limited by IFNAMSIZ (16 bytes including the NUL). */
export const ifnameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+$/, 'invalid interface name')
  .max(15, 'interface name longer than 15 characters (IFNAMSIZ)');

export const linkSchema = z
  .object({
    switch: z.string().min(1),
    /** Interface name inside the host's namespace (default eth0, eth1, … in link order). */
    ifname: ifnameSchema.optional(),
    /** One address with prefix, IPv4 or IPv6. */
    address: cidrSchema.optional(),
    /** Several addresses (e.g. one IPv4 and one IPv6). */
    addresses: z.array(cidrSchema).optional(),
  })
  .strict()
  .refine((l) => l.address !== undefined || (l.addresses?.length ?? 0) > 0, {
    message: 'a link needs `address` or `addresses`',
  });

const hostCommon = {
  links: z.array(linkSchema).min(1),
  /** Run nginx in this host with a /health location (for track scripts and client traffic). */
  nginx: z.boolean().default(false),
};

export const routerHostSchema = z
  .object({
    role: z.literal('router'),
    ...hostCommon,
    vrrp: z.array(vrrpInstanceSchema).min(1),
    /**
     * Pin this router to one implementation whatever `--impl` says: a mixed cluster (vrrpd next to
     * keepalived or FRR in the same VRID) is how interoperability is tested.
     */
    impl: z.enum(BUILT_IN_IMPLS).optional(),
  })
  .strict();

export const clientHostSchema = z.object({ role: z.literal('client'), ...hostCommon }).strict();

export const hostSchema = z.discriminatedUnion('role', [routerHostSchema, clientHostSchema]);

export const switchSchema = z
  .object({
    /** Drop VRRP multicast (224.0.0.18, ff02::12) in the bridge, with counters: the seed's switch. */
    dropMulticast: z.boolean().default(false),
    /** Bridge IGMP/MLD snooping; off by default so multicast floods like a dumb switch. */
    mcastSnooping: z.boolean().default(false),
  })
  .strict();

export const topologySchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, 'invalid topology name')
      .default('lab'),
    description: z.string().optional(),
    switches: z.record(z.string().regex(NAME, nameMessage), switchSchema),
    hosts: z.record(z.string().regex(NAME, nameMessage), hostSchema),
  })
  .strict();

/** What a YAML file or a TypeScript caller writes (defaults optional). */
export type TopologyInput = z.input<typeof topologySchema>;
/** The document after zod defaults, before normalisation. */
export type TopologyDocument = z.output<typeof topologySchema>;
