export {
  addressKey,
  type Cidr,
  type IpFamily,
  isCidr,
  parseCidr,
  parseIp,
  stripPrefix,
  subnetContains,
} from './cidr.js';
export { generateStarTopology } from './generate.js';
export { defineTopology, loadTopologyFile, parseTopology, parseTopologyYaml } from './load.js';
export { type TopologyDocument, type TopologyInput, topologySchema } from './schema.js';
export { formatIssue, formatPath, TopologyError, type TopologyIssue } from './topology-error.js';
export type { Topology, TopologyHost, TopologyLink, TopologySwitch } from './types.js';
export type { VrrpInstanceSettings } from './vrrp-settings.js';
