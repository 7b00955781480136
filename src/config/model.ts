import type { SourcePos } from './position.js';
import type { ProcessSettings } from './process-keywords.js';

/**
 * The typed result of parsing a keepalived.conf for vrrpd. Every default below is keepalived 2.2.7's;
 * "resolved" fields already have keepalived's derivations applied (for example priority 255 for an
 * unset priority with `state MASTER`), so the daemon never re-derives them.
 * Times are in seconds (fractional allowed) unless the name says otherwise.
 */
export interface KeepalivedConfig {
  globalDefs: GlobalDefs;
  /** `vrrp_script NAME { }` blocks that have a `script` (keepalived drops the others with a warning). */
  vrrpScripts: VrrpScript[];
  /** `track_file NAME { }` (and the deprecated `vrrp_track_file`). */
  trackFiles: TrackFile[];
  /** `vrrp_track_process NAME { }`. */
  trackProcesses: TrackProcess[];
  vrrpInstances: VrrpInstance[];
  syncGroups: SyncGroup[];
  /** Top-level blocks keepalived accepts but vrrpd ignores (LVS, static routes, ...); each was warned about. */
  ignoredBlocks: IgnoredBlock[];
  /** Top-level `static_routes { }`: installed at start, removed at stop. */
  staticRoutes?: IpRoute[];
  /** Top-level `static_rules { }`. */
  staticRules?: IpRule[];
  /** Top-level `garp_group { }` blocks, in order. */
  garpGroups?: GarpGroup[];
  /** Top-level `static_ipaddress { }`: added at start whatever the state, re-added if deleted, removed at stop. */
  staticAddresses?: VirtualIpAddress[];
  /** Top-level `interface_up_down_delays { }`: one entry per interface (a later line for it wins). */
  interfaceDelays?: InterfaceDelay[];
  /** Every file that contributed (the main file first, then included files in include order). */
  files: string[];
}

export type AddressFamily = 'ipv4' | 'ipv6';

/**
 * `garp_extra_if [all] N`: while Master, one gratuitous ARP / NA every N seconds on each interface other than
 * the instance's that carries its VIPs — VMACs only, unless `all` (keepalived vrrp_send_vmac_update).
 */
export interface GarpExtraIf {
  intervalS: number;
  all: boolean;
}

/** A `garp_group`: its interfaces share the intervals (and, with `interfaces`, one pacing). */
export interface GarpGroup {
  garpIntervalS?: number;
  gnaIntervalS?: number;
  interfaces: string[];
  /** Written as `interfaces { }`: every GARP / NA of these interfaces counts against one interval. */
  aggregate: boolean;
  pos: SourcePos;
}

/**
 * One line of `interface_up_down_delays`: how long a link state change of `ifname` must last before the
 * instances using or tracking it see it (a flap shorter than that is not seen at all).
 */
export interface InterfaceDelay {
  ifname: string;
  downS: number;
  upS: number;
  pos: SourcePos;
}

/** A script to run: keepalived's `<STRING>|<QUOTED-STRING> [username [groupname]]`. */
export interface ScriptCommand {
  /** The command text as configured (quotes removed). */
  command: string;
  /** `command` split like keepalived does: on blanks, with single quotes keeping spaces. */
  argv: string[];
  user?: string;
  group?: string;
  pos: SourcePos;
}

/** `notify_fifo FIFO [user [group]]` style settings. */
export interface FifoSpec {
  path: string;
  user?: string;
  group?: string;
}

export interface GlobalDefs {
  routerId?: string;
  /** `vrrp_version`, default 2. IPv6 instances always use 3. */
  vrrpVersion: 2 | 3;
  /** `vrrp_strict`: strict RFC compliance (default false). */
  vrrpStrict: boolean;
  /** `vmac_prefix`: name prefix of VMAC interfaces (default "vrrp"). */
  vmacPrefix?: string;
  /** `fifo_write_vrrp_states_on_reload`: a reload writes the kept instances' states to the FIFO again. */
  fifoWriteVrrpStatesOnReload: boolean;
  /** `log_unknown_vrids`: log every advert for a VRID no instance has (otherwise they are only counted). */
  logUnknownVrids: boolean;
  /** `umask` (default keepalived's 0177): the mask of every file vrrpd and its scripts create. */
  umask: number;
  /** `startup_script` / `shutdown_script` and their timeouts (s, 1..1000, default 10). */
  startupScript?: ScriptCommand;
  startupScriptTimeout: number;
  shutdownScript?: ScriptCommand;
  shutdownScriptTimeout: number;
  /** `vmac_addr_prefix`: name prefix of the VMACs of addresses (use_vmac_addr, a VIP's use_vmac); default vmac_prefix. */
  vmacAddrPrefix?: string;
  enableScriptSecurity: boolean;
  scriptUser?: { user: string; group?: string };
  notifyFifo?: FifoSpec;
  notifyFifoScript?: ScriptCommand;
  vrrpNotifyFifo?: FifoSpec;
  vrrpNotifyFifoScript?: ScriptCommand;
  /** `vrrp_notify_priority_changes` (default false). */
  vrrpNotifyPriorityChanges: boolean;
  /** `vrrp_garp_master_delay`, default 5 (0 = no second burst). */
  garpMasterDelay: number;
  /** `vrrp_garp_master_repeat`, default 5. */
  garpMasterRepeat: number;
  /** `vrrp_garp_master_refresh`, default 0 (off). */
  garpMasterRefresh: number;
  /** `vrrp_garp_master_refresh_repeat`, default 1. */
  garpMasterRefreshRepeat: number;
  /** `vrrp_garp_extra_if [all] N` (deprecated `vrrp_vmac_garp_intvl`): the default of every instance's. */
  garpExtraIf?: GarpExtraIf;
  /** `vrrp_garp_lower_prio_delay`, default = garpMasterDelay. */
  garpLowerPrioDelay: number;
  /** `vrrp_garp_lower_prio_repeat`, default = garpMasterRepeat. */
  garpLowerPrioRepeat: number;
  /** `vrrp_garp_interval`, default 0. */
  garpInterval: number;
  /** `vrrp_gna_interval`, default 0. */
  gnaInterval: number;
  /** `vrrp_min_garp`: one GARP, no repeat (sets master repeat 1 and master delay 0 unless given). */
  minGarp: boolean;
  /** `vrrp_down_timer_adverts`, default 3. */
  downTimerAdverts: number;
  /** `vrrp_lower_prio_no_advert`, default false (true under vrrp_strict). */
  lowerPrioNoAdvert: boolean;
  /** `vrrp_higher_prio_send_advert`, default false. */
  higherPrioSendAdvert: boolean;
  /** `vrrp_skip_check_adv_addr`, default false. */
  skipCheckAdvAddr: boolean;
  /** `vrrp_check_unicast_src`, default false. */
  checkUnicastSrc: boolean;
  /** `vrrp_startup_delay`, default 0. */
  startupDelay: number;
  /** `vrrp_mcast_group4`, default 224.0.0.18. */
  mcastGroup4: string;
  /** `vrrp_mcast_group6`, default ff02::12. */
  mcastGroup6: string;
  /** vrrp_priority, vrrp_rt_priority, vrrp_rlimit_rttime, vrrp_no_swap, vrrp_cpu_affinity. */
  process: ProcessSettings;
}

/** `vrrp_script NAME { ... }`. */
export interface VrrpScript {
  name: string;
  pos: SourcePos;
  script: ScriptCommand;
  /** Seconds between runs, default 1. */
  interval: number;
  /** Seconds before a run counts as failed; keepalived defaults it to the interval. */
  timeout: number;
  /** -253..253, default 0 (0 = FAULT on failure). */
  weight: number;
  weightReverse: boolean;
  /** Successes needed for OK, default 1. */
  rise: number;
  /** Failures needed for KO, default 1. */
  fall: number;
  user?: string;
  group?: string;
  /** `init_fail`: the script starts in the failed state. */
  initFail: boolean;
}

/** `track_file NAME { ... }`. */
export interface TrackFile {
  name: string;
  pos: SourcePos;
  file: string;
  /** Multiplier for the value read from the file, default 1. */
  weight: number;
  weightReverse: boolean;
  /** `init_file [VALUE] [overwrite]`: create/initialise the file at startup. */
  initFile?: { value: number; overwrite: boolean };
}

/** `vrrp_track_process NAME { }`: is a process of that name (and parameters) running, in what number? */
export interface TrackProcess {
  name: string;
  pos: SourcePos;
  /** `process NAME [PARAM...]`: matched against /proc/PID/comm, or argv[0] with `full_command`. */
  process: string;
  params: string[];
  /** How PARAMs match argv[1..]: `exact` (the default once PARAMs or param_match are given), or none at all. */
  paramMatch: 'none' | 'exact' | 'initial' | 'partial';
  /** Default 0 in keepalived 2.2.7 (a missing process means FAULT), whatever its man page says. */
  weight: number;
  weightReverse: boolean;
  /** Running processes needed for "up": quorum ≤ count ≤ quorumMax. */
  quorum: number;
  quorumMax: number;
  /** Seconds to wait before believing a gained / lost quorum (`fork_delay`, `terminate_delay`, `delay`). */
  forkDelay: number;
  terminateDelay: number;
  fullCommand: boolean;
}

/** An entry of `track_interface { }`. */
export interface TrackedInterface {
  name: string;
  /** -253..253; 0 (the default) means FAULT when the interface is down. */
  weight: number;
  reverse: boolean;
  pos: SourcePos;
}

/** An entry of `track_script { }` / `track_file { }`: a reference by name with an optional weight override. */
export interface TrackRef {
  name: string;
  /** Overrides the script's / file's own weight when present. */
  weight?: number;
  /** true for `reverse`, false for `noreverse`, undefined when not given. */
  reverse?: boolean;
  pos: SourcePos;
}

/** A line of `virtual_ipaddress { }` or `virtual_ipaddress_excluded { }`. */
export interface VirtualIpAddress {
  /** The address as written (without the prefix length). */
  address: string;
  family: AddressFamily;
  /** Defaults to the host length (32 / 128), as keepalived does. */
  prefixLength: number;
  dev?: string;
  brd?: string;
  scope?: string;
  label?: string;
  peer?: string;
  /** `no_track`: deleting the address does not take the instance out of MASTER. */
  noTrack: boolean;
  /** Other `ip address add` options passed through unchanged (`home`, `-nodad`, `preferred_lft 0`, ...). */
  extraOptions: string[];
  pos: SourcePos;
}

/** A line of `unicast_peer { }`: one address per line. */
export interface UnicastPeer {
  address: string;
  family: AddressFamily;
  minTtl?: number;
  maxTtl?: number;
  pos: SourcePos;
}

export interface NotifyScripts {
  master?: ScriptCommand;
  backup?: ScriptCommand;
  fault?: ScriptCommand;
  stop?: ScriptCommand;
  deleted?: ScriptCommand;
  /** `notify_deleted` given (its script is optional): a reload that removes the instance reports DELETED. */
  notifyDeleted?: boolean;
  /** `notify`: called for every transition with `INSTANCE|GROUP name STATE priority` appended. */
  any?: ScriptCommand;
  /** `notify_master_rx_lower_pri` (instances only). */
  masterRxLowerPri?: ScriptCommand;
}

export interface VrrpInstance {
  name: string;
  pos: SourcePos;
  /** Resolved initial state: `state` if given, else MASTER for priority 255, else BACKUP. */
  state: 'MASTER' | 'BACKUP';
  /** Whether `state` was written in the config. */
  stateConfigured: boolean;
  interface: string;
  virtualRouterId: number;
  /** Resolved priority 1..255: `priority`, else 255 with `state MASTER`, else 100. */
  priority: number;
  priorityConfigured: boolean;
  /** Resolved version: `version`, else global vrrp_version; IPv6 always 3. */
  version: 2 | 3;
  /** Family of the VIPs (and so of the adverts). IPv4 when there are no VIPs. */
  family: AddressFamily;
  /** Advertisement interval in centiseconds after keepalived's rounding (v2: whole seconds). Default 100. */
  advertIntervalCs: number;
  /** false with `nopreempt`. */
  preempt: boolean;
  /** `preempt_delay` in seconds (0..1000), default 0. */
  preemptDelay: number;
  /** `accept` / `no_accept`. Default accept, except strict mode where only the owner accepts. */
  accept: boolean;
  /** `strict_mode`, defaulting to global vrrp_strict. */
  strictMode: boolean;
  dontTrackPrimary: boolean;
  /** `promote_secondaries`: net.ipv4.conf.IF.promote_secondaries = 1 while the instance runs. */
  promoteSecondaries: boolean;
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackRef[];
  trackFiles: TrackRef[];
  /** `track_process { NAME [weight W [reverse|noreverse]] }`. */
  trackProcesses: TrackRef[];
  virtualIpAddresses: VirtualIpAddress[];
  excludedIpAddresses: VirtualIpAddress[];
  unicastSrcIp?: string;
  unicastPeers: UnicastPeer[];
  /** `unicast_fault_no_peer`: unicast mode even without peers (FAULT then), instead of falling back to multicast. */
  unicastFaultNoPeer: boolean;
  /** `unicast_ttl`, default 255. */
  unicastTtl: number;
  mcastSrcIp?: string;
  mcastDstIp?: string;
  /** VRRPv2 only; undefined when absent or ignored (v3). `password` holds at most 8 characters. */
  authentication?: { type: 'PASS' | 'AH'; password: string };
  notify: NotifyScripts;
  garpMasterDelay: number;
  garpMasterRepeat: number;
  garpMasterRefresh: number;
  garpMasterRefreshRepeat: number;
  /** `garp_extra_if [all] N`, else the global one. */
  garpExtraIf?: GarpExtraIf;
  garpLowerPrioDelay: number;
  garpLowerPrioRepeat: number;
  lowerPrioNoAdvert: boolean;
  higherPrioSendAdvert: boolean;
  skipCheckAdvAddr: boolean;
  checkUnicastSrc: boolean;
  /** Master_Down_Interval multiplier, 1..100, default 3 (non-RFC when ≠ 3). */
  downTimerAdverts: number;
  notifyPriorityChanges: boolean;
  /** `debug LEVEL` (0..4); keepalived documents it as not implemented. */
  debug: number;
  /** Name of the sync group this instance belongs to, if any. */
  syncGroup?: string;
  /** `use_vmac [IFNAME] [MAC]` (+ `vmac_xmit_base`); undefined without use_vmac. */
  vmac?: VmacConfig;
  /** `use_vmac_addr`. */
  useVmacAddr?: boolean;
  /** `virtual_routes { }`: installed while Master. */
  virtualRoutes?: IpRoute[];
  /** `virtual_rules { }`: installed while Master. */
  virtualRules?: IpRule[];
}

export interface VmacConfig {
  /** Interface name; default `<vmac_prefix>.VRID` (keepalived picks `vrrp.VRID`). */
  ifname?: string;
  /** A MAC to use instead of 00:00:5e:00:01:VRID; with only 5 octets the VRID is the sixth. */
  mac?: string;
  /** `vmac_xmit_base`: adverts go out of the base interface (its MAC), VIPs stay on the VMAC. */
  xmitBase: boolean;
  pos: SourcePos;
}

export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

/** One line of `virtual_routes` / `static_routes`, as `ip route` would take it. */
export interface IpRoute {
  family: AddressFamily;
  /** Destination as CIDR ("0.0.0.0/0" for default). */
  dst: string;
  type: RouteType;
  /** `src`: preferred source address (RTA_PREFSRC). */
  src?: string;
  /** `from`: source prefix (RTA_SRC, IPv6 source routing). */
  from?: string;
  via?: string;
  dev?: string;
  /** Multipath: `nexthop via A [dev D] [weight W] [onlink] nexthop ...` (or the deprecated `via A or B`). */
  nexthops?: NextHop[];
  /** Routing table, default 254 (main). */
  table: number;
  metric?: number;
  scope?: number;
  /** `protocol`; keepalived marks its routes with 18 ("keepalived") otherwise. */
  protocol?: number;
  onlink: boolean;
  noTrack: boolean;
  pos: SourcePos;
}

export interface NextHop {
  via?: string;
  dev?: string;
  /** 1..256, default 1. */
  weight?: number;
  onlink?: boolean;
}

export type RuleAction = 'table' | 'goto' | 'blackhole' | 'unreachable' | 'prohibit' | 'nop';

/** One line of `virtual_rules` / `static_rules`, as `ip rule` would take it. */
export interface IpRule {
  family: AddressFamily;
  from?: string;
  to?: string;
  /** `not`: invert the selector. */
  not: boolean;
  action?: RuleAction;
  table?: number;
  gotoTarget?: number;
  priority?: number;
  iif?: string;
  oif?: string;
  fwmark?: number;
  fwmask?: number;
  suppressPrefixLength?: number;
  /** `protocol`; keepalived marks its rules with 18 ("keepalived") unless no_track. */
  protocol?: number;
  noTrack: boolean;
  pos: SourcePos;
}

export interface SyncGroup {
  name: string;
  pos: SourcePos;
  /** Member instance names, in order. */
  members: string[];
  trackInterfaces: TrackedInterface[];
  trackScripts: TrackRef[];
  trackFiles: TrackRef[];
  trackProcesses: TrackRef[];
  notify: NotifyScripts;
  /** `notify_priority_changes`; undefined when not written (members then use the global default). */
  notifyPriorityChanges?: boolean;
  /** `sync_group_tracking_weight`: keep member tracking weights (otherwise keepalived forces them to 0). */
  trackingWeight: boolean;
}

export interface IgnoredBlock {
  keyword: string;
  pos: SourcePos;
}
