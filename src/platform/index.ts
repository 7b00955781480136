/** The daemon's platform layer: the only code in vrrpd that touches the OS. */
export { type AddAddressOptions, addAddress, listAddresses, removeAddress } from './addresses.js';
export { AdvertWatch, type WatchSummary } from './advert-watch.js';
export { assertCapabilities, type Capability, hasCapability, toPlatformError } from './capabilities.js';
export {
  type InterfaceAddress,
  type InterfaceInfo,
  interfaceInfo,
  type LinkState,
  linkState,
  listLinks,
} from './interfaces.js';
export { bytesToIp, type Cidr, ipFamily, ipToBytes, parseCidr } from './ip-bytes.js';
export { type AddressRemoval, type LinkChange, LinkMonitor } from './link-monitor.js';
export { netnsPath, withNetns } from './netns.js';
export { PacketSocket } from './packet-socket.js';
export { type AdvertPacket, PeriodicAdvertSender } from './periodic-adverts.js';
export { type ReceivedPacket, VRRP_MULTICAST, VrrpSocket, type VrrpSocketOptions } from './vrrp-socket.js';
