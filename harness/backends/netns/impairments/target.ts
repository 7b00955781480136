import type { PlannedLink } from '../build-plan.js';

/** One link as the impairments see it: host side (netns + ifname) and switch side (netns + port). */
export interface LinkTarget {
  host: string;
  hostNetns: string;
  switchNetns: string;
  link: PlannedLink;
  /** Prefix for nft tables of impairments on this link (carries the run id). */
  nftTablePrefix: string;
}
