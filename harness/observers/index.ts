export { type AddressEvent, AddressMonitor, parseMonitorLine } from './address-monitor.js';
export { Capture, type CaptureOptions, type CaptureResult, startBridgeCaptures } from './capture.js';
export { ClockMap, type ClockPair, calibrate } from './clock-map.js';
export { parseFibTrieLocal } from './fib-trie.js';
export { type HolderChange, type HolderClass, HolderLog, type HolderWindow } from './holder-log.js';
export {
  type HolderHostSpec,
  HolderObserver,
  type HolderObserverOptions,
  type HolderProbe,
  type SampleStats,
} from './holders.js';
export { type Inet6Entry, parseIfInet6, usableInet6 } from './if-inet6.js';
export { ipv6ToHex, type VipKey, vipKey } from './ip-text.js';
export { toEthernetFrame } from './link-layer.js';
export {
  type AdvertEvent,
  type BadVrrpEvent,
  type GarpEvent,
  type NaEvent,
  type PacketEvent,
  packetEvent,
  packetEvents,
} from './packet-events.js';
export {
  LINKTYPE_EN10MB,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  type PcapFile,
  PcapFormatError,
  type PcapHeader,
  PcapReader,
  type PcapRecord,
  parsePcap,
  parsePcapHeader,
  writePcap,
} from './pcap-file.js';
export { ProcHolderProbe } from './proc-probe.js';
export { exitStats, lastInfoStats, type TcpdumpStats } from './tcpdump-stats.js';
export {
  type FaultEvent,
  type StateChange,
  Timeline,
  type TimelineEvent,
  type TimelineJson,
  type TimelineParts,
} from './timeline.js';
export { describe as describeEvent, type RenderOptions, renderTimeline } from './timeline-render.js';
