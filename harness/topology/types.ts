import type { ImplName } from '../adapters/types.js';
import type { VrrpInstanceSettings } from './vrrp-settings.js';

/** A validated, normalised topology: what the backends consume. */
export interface Topology {
  name: string;
  description?: string;
  /** Insertion order is meaningful (it numbers hosts and ports). */
  switches: Record<string, TopologySwitch>;
  hosts: Record<string, TopologyHost>;
}

export interface TopologySwitch {
  name: string;
  dropMulticast: boolean;
  mcastSnooping: boolean;
}

export interface TopologyLink {
  switch: string;
  /** Interface name inside the host namespace. */
  ifname: string;
  /** Addresses with prefix ("10.99.0.11/24", "fd00:99::11/64"). */
  addresses: string[];
}

export interface TopologyHost {
  name: string;
  role: 'router' | 'client';
  links: TopologyLink[];
  nginx: boolean;
  /** Empty for clients. */
  vrrp: VrrpInstanceSettings[];
  /** Implementation pinned for this router (mixed clusters); undefined = the run's implementation. */
  impl?: ImplName;
}
