/**
 * Every keyword keepalived 2.2.7 accepts in a VRRP configuration (install_keyword() tables of
 * core/global_parser.c, vrrp/vrrp_parser.c, trackers/track_file.c, check/check_parser.c and
 * bfd/bfd_parser.c), with what vrrpd does with it. This table is the single source of truth: the
 * parser consults it for every statement (a keyword not in it is unknown to keepalived and an error),
 * `vrrpd -t` and start-up warn about every keyword that is not `works`, and the README's keyword table
 * is generated from it (`npm run gen:keyword-table`).
 *
 * - `works`: vrrpd does what keepalived does; `test` is the test file that observes the effect.
 * - `warned`: accepted and not (fully) honoured; a warning names the keyword, its FILE:LINE:COL and `note`.
 * - `refused`: a configuration error (vrrpd will not pretend to run it).
 */

export type KeywordStatus = 'works' | 'warned' | 'refused';

/**
 * Where the keyword is written: a top-level keyword, a keyword inside one of keepalived's blocks, or an
 * option word on a line of a value block (`virtual_ipaddress` lines, `unicast_peer` lines, the lines of
 * `track_interface` / `track_script` / `track_file`).
 */
export type KeywordContext =
  | 'top'
  | 'global_defs'
  | 'vrrp_instance'
  | 'authentication'
  | 'vrrp_sync_group'
  | 'vrrp_script'
  | 'track_file'
  | 'vrrp_track_process'
  | 'garp_group'
  | 'track_group'
  | 'virtual_ipaddress'
  | 'unicast_peer'
  | 'track_line';

export interface KeywordEntry {
  keyword: string;
  context: KeywordContext;
  status: KeywordStatus;
  /** One line: what vrrpd does (works) or why it does not (warned / refused). */
  note: string;
  /** Path under test/ of the test that observes the effect; required for `works`. */
  test?: string;
}

/** The note of keywords another issue-9 change is implementing; the integrator flips them when it lands. */
export const IN_PROGRESS = 'in progress (issue 9)';

const T = {
  interop: 'test/integration/daemon/interop.test.ts',
  runtime: 'test/integration/daemon/runtime.test.ts',
  notify: 'test/integration/keywords/notify.test.ts',
  sync: 'test/integration/keywords/sync-group.test.ts',
  transmit: 'test/integration/conformance/catalogue.test.ts',
  receive: 'test/integration/conformance/catalogue.test.ts',
  behaviour: 'test/unit/core/keepalived-behaviour.test.ts',
  rfc: 'test/unit/core/rfc-table.test.ts',
  tracking: 'test/unit/runtime/tracking.test.ts',
  include: 'test/unit/config/include.test.ts',
  instance: 'test/unit/config/instance.test.ts',
  blocks: 'test/unit/config/blocks.test.ts',
  timers: 'test/unit/core/timer-math.test.ts',
  syncGroup: 'test/unit/core/sync-group.test.ts',
  vmac: 'test/integration/daemon/vmac.test.ts',
  promote: 'test/integration/keywords/promote-secondaries.test.ts',
  garpInterval: 'test/integration/keywords/garp-interval.test.ts',
  process: 'test/integration/keywords/track-process.test.ts',
  processUnit: 'test/unit/runtime/process-tracker.test.ts',
  routes: 'test/unit/config/routes-vmac.test.ts',
  skipAdv: 'test/integration/keywords/skip-check-adv-addr.test.ts',
  upDown: 'test/integration/keywords/interface-delays.test.ts',
  initFail: 'test/integration/keywords/init-fail.test.ts',
  scriptSecurity: 'test/integration/reliability/script-security.test.ts',
  garpExtra: 'test/integration/keywords/garp-extra-if.test.ts',
  vmacAddr: 'test/integration/keywords/use-vmac-addr.test.ts',
  staticAddr: 'test/integration/keywords/static-ipaddress.test.ts',
  notifyDeleted: 'test/integration/keywords/notify-deleted.test.ts',
  garpGroup: 'test/integration/keywords/garp-group.test.ts',
  lifecycle: 'test/integration/keywords/startup-shutdown-script.test.ts',
  umask: 'test/integration/keywords/umask.test.ts',
  unknownVrids: 'test/integration/keywords/log-unknown-vrids.test.ts',
  fifoReload: 'test/integration/keywords/fifo-states-on-reload.test.ts',
} as const;

function works(context: KeywordContext, keyword: string, test: string, note: string): KeywordEntry {
  return { keyword, context, status: 'works', note, test };
}

function warned(context: KeywordContext, keywords: string, note: string): KeywordEntry[] {
  return keywords
    .split(/\s+/)
    .filter(Boolean)
    .map((keyword) => ({ keyword, context, status: 'warned' as const, note }));
}

const LVS = 'LVS / checker setting; vrrpd implements VRRP only';
const PROCESS = 'process tuning of keepalived; vrrpd (one Node.js process) ignores it';

export const KEYWORDS: readonly KeywordEntry[] = [
  // ---- top level -------------------------------------------------------------------------------
  works('top', 'global_defs', T.blocks, 'daemon-wide settings'),
  works('top', 'vrrp_instance', T.interop, 'one VRRP router'),
  works('top', 'vrrp_sync_group', T.runtime, 'members change state together'),
  works('top', 'vrrp_script', T.runtime, 'a check script tracked by instances'),
  works('top', 'track_file', T.runtime, 'a file whose value × weight adjusts the priority'),
  works('top', 'vrrp_track_file', T.blocks, 'deprecated synonym of track_file (warns so)'),
  works('top', 'include', T.include, 'includes files by glob, relative to the including file'),
  works(
    'top',
    '$NAME=',
    'test/unit/config/params.test.ts',
    'parameter definitions; $NAME and the braced form expand as in keepalived',
  ),
  works('top', 'vrrp_track_process', T.process, 'processes of a name counted every 200 ms (keepalived: kernel events)'),
  works('top', 'garp_group', T.garpGroup, 'per-interface (or shared, with interfaces) GARP / NA intervals'),
  works(
    'top',
    'interface_up_down_delays',
    T.upDown,
    'a link change reaches the instances only if it outlasts its delay (an omitted up delay is 0, as keepalived 2.2.7 does)',
  ),
  ...warned('top', 'track_group', 'track groups (for static addresses) are not implemented; the block is ignored'),
  ...warned('top', 'linkbeat_interfaces linkbeat_use_polling', 'vrrpd always uses netlink link state'),
  works(
    'top',
    'static_ipaddress',
    T.staticAddr,
    'added at start, added again if deleted (unless no_track), removed at stop',
  ),
  works('top', 'static_routes', T.routes, 'routes installed at start'),
  works('top', 'static_rules', T.routes, 'policy rules installed at start'),
  ...warned('top', 'net_namespace net_namespace_ipvs namespace_with_ipsets', 'run vrrpd inside the namespace instead'),
  ...warned('top', 'use_pid_dir instance child_wait_time', PROCESS),
  ...warned('top', 'virtual_server virtual_server_group SSL', LVS),
  ...warned('top', 'bfd_instance', 'BFD is not implemented; the block is ignored'),
  { keyword: '~SEQ', context: 'top', status: 'refused', note: 'sequence expansion is not supported' },
  { keyword: '~LST', context: 'top', status: 'refused', note: 'list expansion is not supported' },

  // ---- global_defs ------------------------------------------------------------------------------
  works('global_defs', 'vrrp_version', T.interop, 'default VRRP version of instances'),
  works('global_defs', 'vrrp_garp_master_delay', T.transmit, 'delay of the second GARP burst'),
  works('global_defs', 'vrrp_garp_master_repeat', T.transmit, 'GARPs per burst'),
  works('global_defs', 'vrrp_garp_master_refresh', T.behaviour, 'periodic GARP refresh as Master'),
  works('global_defs', 'vrrp_garp_master_refresh_repeat', T.behaviour, 'GARPs per refresh'),
  works('global_defs', 'vrrp_garp_lower_prio_delay', T.behaviour, 'GARP delay after a lower-priority advert'),
  works('global_defs', 'vrrp_garp_lower_prio_repeat', T.behaviour, 'GARPs after a lower-priority advert'),
  works('global_defs', 'vrrp_min_garp', T.blocks, 'one GARP and no second burst'),
  works('global_defs', 'vrrp_down_timer_adverts', T.timers, 'Master_Down_Interval multiplier'),
  works('global_defs', 'vrrp_lower_prio_no_advert', T.behaviour, 'no advert on a lower-priority advert'),
  works('global_defs', 'vrrp_higher_prio_send_advert', T.behaviour, 'one more advert before yielding'),
  works('global_defs', 'router_id', T.runtime, 'names the host in `vrrpd status` and the data dump'),
  works('global_defs', 'notify_fifo', T.notify, 'every FIFO line, as keepalived writes them'),
  works('global_defs', 'vrrp_notify_fifo', T.notify, 'every FIFO line too (keepalived writes both)'),
  works('global_defs', 'notify_fifo_script', T.notify, 'started with the FIFO path, as its user'),
  works('global_defs', 'vrrp_notify_fifo_script', T.notify, 'started with the FIFO path, as its user'),
  works('global_defs', 'script_user', T.notify, 'user of check and notify scripts without their own'),
  works('global_defs', 'vrrp_notify_priority_changes', T.blocks, 'default of notify_priority_changes'),
  works(
    'global_defs',
    'vrrp_strict',
    'test/integration/daemon/accept-mode.test.ts',
    'strict checks; non-owners no_accept',
  ),
  works(
    'global_defs',
    'vrrp_mcast_group4',
    'test/integration/wire/multicast-group.test.ts',
    'IPv4 group adverts go to and are heard on',
  ),
  works(
    'global_defs',
    'vrrp_mcast_group6',
    'test/integration/wire/multicast-group.test.ts',
    'IPv6 group adverts go to and are heard on',
  ),
  works(
    'global_defs',
    'vrrp_check_unicast_src',
    'test/integration/wire/routed-unicast.test.ts',
    'default of check_unicast_src',
  ),
  works(
    'global_defs',
    'enable_script_security',
    T.scriptSecurity,
    'a root script that a non-root user could replace (file or directory on its path) is refused, not run',
  ),
  works(
    'global_defs',
    'vrrp_garp_interval',
    T.garpInterval,
    'GARPs of an interface at least this far apart; a repeat of a pending address is coalesced, as keepalived',
  ),
  works(
    'global_defs',
    'vrrp_gna_interval',
    T.garpInterval,
    'the same pacing for unsolicited NAs (same code as vrrp_garp_interval; compared with keepalived for ARP only)',
  ),
  works('global_defs', 'vrrp_skip_check_adv_addr', T.skipAdv, "the default of every instance's skip_check_adv_addr"),
  works(
    'global_defs',
    'vrrp_startup_delay',
    'test/integration/keywords/startup-delay.test.ts',
    'no Master before delay + Master_Down_Interval at the first start',
  ),
  ...['vrrp_garp_extra_if', 'vrrp_vmac_garp_intvl'].map((k) =>
    works('global_defs', k, T.garpExtra, "the default of every instance's garp_extra_if"),
  ),
  ...warned(
    'global_defs',
    `notification_email_from smtp_server smtp_helo_name smtp_connect_timeout notification_email smtp_alert
    smtp_alert_vrrp smtp_alert_checker no_email_faults`,
    'e-mail alerts are not implemented',
  ),
  ...warned(
    'global_defs',
    `enable_traps enable_snmp_vrrp enable_snmp_keepalived enable_snmp_rfc enable_snmp_rfcv2 enable_snmp_rfcv3
    enable_snmp_checker snmp_socket enable_dbus dbus_service_name`,
    'SNMP and D-Bus are not implemented',
  ),
  works(
    'global_defs',
    'vrrp_priority',
    'test/integration/daemon/process-knobs.test.ts',
    'nice value when no real-time priority is set',
  ),
  works(
    'global_defs',
    'vrrp_rt_priority',
    'test/integration/daemon/process-knobs.test.ts',
    'SCHED_RR with reset-on-fork',
  ),
  works(
    'global_defs',
    'vrrp_rlimit_rttime',
    'test/integration/daemon/process-knobs.test.ts',
    'RLIMIT_RTTIME with a real-time priority',
  ),
  works(
    'global_defs',
    'vrrp_rlimit_rtime',
    'test/integration/daemon/process-knobs.test.ts',
    'old spelling of vrrp_rlimit_rttime',
  ),
  works('global_defs', 'vrrp_no_swap', 'test/integration/daemon/process-knobs.test.ts', 'mlockall(MCL_FUTURE)'),
  works(
    'global_defs',
    'vrrp_cpu_affinity',
    'test/integration/daemon/process-knobs.test.ts',
    'CPU affinity of every thread',
  ),
  ...warned(
    'global_defs',
    `process_names process_name vrrp_process_name checker_process_name lvs_process_name bfd_process_name
    checker_priority checker_no_swap checker_rt_priority checker_cpu_affinity checker_rlimit_rttime
    checker_rlimit_rtime bfd_priority bfd_no_swap bfd_rt_priority bfd_cpu_affinity bfd_rlimit_rttime
    bfd_rlimit_rtime vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force vrrp_netlink_monitor_rcv_bufs
    vrrp_netlink_monitor_rcv_bufs_force process_monitor_rcv_bufs process_monitor_rcv_bufs_force
    lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force lvs_netlink_monitor_rcv_bufs
    lvs_netlink_monitor_rcv_bufs_force vrrp_rx_bufs_policy vrrp_rx_bufs_multiplier random_seed
    reload_check_config reload_time_file reload_repeat reload_file include_check config_save_dir
    tmp_config_directory data_use_instance`,
    PROCESS,
  ),
  works(
    'global_defs',
    'umask',
    T.umask,
    "the daemon's and its scripts' file creation mask (default keepalived's 0177)",
  ),
  ...warned(
    'global_defs',
    `lvs_timeouts lvs_flush lvs_flush_on_stop lvs_flush_onstop lvs_sync_daemon lvs_notify_fifo
    lvs_notify_fifo_script checker_log_all_failures rs_init_notifies no_checker_emails nftables_ipvs
    nftables_ipvs_priority nftables_ipvs_start_fwmark`,
    LVS,
  ),
  ...warned(
    'global_defs',
    'vrrp_iptables vrrp_ipsets nftables nftables_priority nftables_ifindex nftables_counters',
    'firewall rules are not installed (accept mode is in progress, issue 9)',
  ),
  ...['startup_script', 'startup_script_timeout', 'shutdown_script', 'shutdown_script_timeout'].map((k) =>
    works(
      'global_defs',
      k,
      T.lifecycle,
      'run before the instances start / after they stopped, waited for up to the timeout',
    ),
  ),
  ...warned('global_defs', 'max_auto_priority min_auto_priority_delay', PROCESS),
  ...warned('global_defs', 'dynamic_interfaces default_interface', 'interfaces must exist at start'),
  ...warned('global_defs', 'disable_local_igmp', 'IGMP reports are left to the kernel'),
  works(
    'global_defs',
    'fifo_write_vrrp_states_on_reload',
    T.fifoReload,
    "a reload writes the kept instances' states (not a Master's) to the FIFO again",
  ),
  works(
    'global_defs',
    'log_unknown_vrids',
    T.unknownVrids,
    'every advert for an unknown VRID is logged (else only counted)',
  ),
  works('global_defs', 'vmac_prefix', T.vmac, 'prefix of VMAC interface names'),
  works('global_defs', 'vmac_addr_prefix', T.vmacAddr, 'name prefix of address VMACs (default vmac_prefix)'),

  // ---- vrrp_instance ----------------------------------------------------------------------------
  works('vrrp_instance', 'state', T.behaviour, 'initial state'),
  works(
    'vrrp_instance',
    'interface',
    'test/integration/keywords/unicast-no-interface.test.ts',
    'required, also with unicast_peer: keepalived 2.2.7 refuses an instance without it too',
  ),
  works('vrrp_instance', 'virtual_router_id', T.transmit, 'VRID'),
  works('vrrp_instance', 'priority', T.interop, 'base priority'),
  works('vrrp_instance', 'advert_int', T.transmit, 'advertisement interval (keepalived rounding)'),
  works('vrrp_instance', 'version', T.transmit, 'VRRP version 2 or 3'),
  works('vrrp_instance', 'nopreempt', T.interop, 'a higher priority Backup does not preempt'),
  works('vrrp_instance', 'preempt', T.rfc, 'preemption (the default)'),
  works('vrrp_instance', 'preempt_delay', T.behaviour, 'preemption held back after start'),
  works('vrrp_instance', 'dont_track_primary', T.tracking, 'the interface itself is not tracked'),
  works('vrrp_instance', 'track_interface', T.runtime, 'link down: FAULT or a weight'),
  works('vrrp_instance', 'track_script', T.runtime, 'check script: FAULT or a weight'),
  works('vrrp_instance', 'track_file', T.runtime, 'file value × weight'),
  works('vrrp_instance', 'unicast_src_ip', T.interop, 'source address of unicast adverts'),
  works('vrrp_instance', 'unicast_peer', T.interop, 'adverts go to these peers'),
  works('vrrp_instance', 'virtual_ipaddress', T.runtime, 'the VIPs, installed as Master'),
  works('vrrp_instance', 'authentication', T.interop, 'VRRPv2 PASS authentication'),
  works('vrrp_instance', 'notify_master', T.notify, 'script run on becoming Master, as its [user [group]]'),
  works('vrrp_instance', 'notify_backup', T.notify, 'script run on becoming Backup'),
  works('vrrp_instance', 'notify_fault', T.runtime, 'script run on FAULT'),
  works('vrrp_instance', 'notify_stop', T.notify, 'script run on stop'),
  works('vrrp_instance', 'notify', T.notify, 'script run with INSTANCE NAME STATE PRIORITY'),
  works('vrrp_instance', 'garp_master_delay', T.transmit, 'delay of the second GARP burst'),
  works('vrrp_instance', 'garp_master_repeat', T.transmit, 'GARPs per burst'),
  works('vrrp_instance', 'garp_master_refresh', T.behaviour, 'periodic GARP refresh'),
  works('vrrp_instance', 'garp_master_refresh_repeat', T.behaviour, 'GARPs per refresh'),
  works('vrrp_instance', 'garp_lower_prio_delay', T.behaviour, 'GARP delay after a lower-priority advert'),
  works('vrrp_instance', 'garp_lower_prio_repeat', T.behaviour, 'GARPs after a lower-priority advert'),
  works('vrrp_instance', 'down_timer_adverts', T.timers, 'Master_Down_Interval multiplier'),
  works('vrrp_instance', 'lower_prio_no_advert', T.behaviour, 'no advert on a lower-priority advert'),
  works('vrrp_instance', 'higher_prio_send_advert', T.behaviour, 'one more advert before yielding'),
  works(
    'vrrp_instance',
    'mcast_src_ip',
    'test/integration/wire/source-address.test.ts',
    "source of this instance's adverts",
  ),
  works(
    'vrrp_instance',
    'mcast_dst_ip',
    'test/integration/wire/multicast-group.test.ts',
    'group of this instance, joined and sent to',
  ),
  works('vrrp_instance', 'unicast_ttl', 'test/integration/wire/routed-unicast.test.ts', 'TTL of unicast adverts'),
  works(
    'vrrp_instance',
    'check_unicast_src',
    'test/integration/wire/routed-unicast.test.ts',
    'unicast adverts only from the peers',
  ),
  works(
    'vrrp_instance',
    'unicast_fault_no_peer',
    'test/integration/wire/routed-unicast.test.ts',
    'FAULT instead of multicast without peers',
  ),
  works(
    'vrrp_instance',
    'virtual_ipaddress_excluded',
    'test/integration/wire/vip-options.test.ts',
    'installed as Master, not advertised',
  ),
  works(
    'vrrp_instance',
    'accept',
    'test/integration/daemon/accept-mode.test.ts',
    'the Master accepts traffic to the VIPs',
  ),
  works(
    'vrrp_instance',
    'no_accept',
    'test/integration/daemon/accept-mode.test.ts',
    'a non-owner Master drops it (nft)',
  ),
  works('vrrp_instance', 'strict_mode', 'test/integration/daemon/accept-mode.test.ts', 'vrrp_strict for this instance'),
  works(
    'vrrp_instance',
    'use_vmac',
    T.vmac,
    'a macvlan with the virtual MAC carries the VIPs, adverts and GARPs; unlike keepalived it does not route while Backup (RFC 5798 §6.4.2)',
  ),
  works(
    'vrrp_instance',
    'use_vmac_addr',
    T.vmacAddr,
    'VIPs on another interface or of the other family live on a VMAC of their own (one per interface and family)',
  ),
  works('vrrp_instance', 'vmac_xmit_base', T.vmac, 'adverts leave from the base interface'),
  works('vrrp_instance', 'virtual_routes', T.routes, 'routes that follow mastership'),
  works('vrrp_instance', 'virtual_rules', T.routes, 'policy rules that follow mastership'),
  works('vrrp_instance', 'notify_master_rx_lower_pri', T.notify, 'run (and a FIFO line) when Master hears lower'),
  works('vrrp_instance', 'notify_priority_changes', T.notify, 'MASTER_PRIORITY / BACKUP_PRIORITY FIFO lines'),
  works(
    'vrrp_instance',
    'notify_deleted',
    T.notifyDeleted,
    'an instance a reload removes reports DELETED (its script runs), not FAULT',
  ),
  works(
    'vrrp_instance',
    'skip_check_adv_addr',
    T.skipAdv,
    'a Backup skips the address list and unicast source checks for adverts from the Master it last heard',
  ),
  works(
    'vrrp_instance',
    'promote_secondaries',
    T.promote,
    'net.ipv4.conf.IF.promote_secondaries = 1 while running, the old value back at stop',
  ),
  ...['garp_extra_if', 'vmac_garp_intvl'].map((k) =>
    works(
      'vrrp_instance',
      k,
      T.garpExtra,
      'while Master, one GARP/NA every N s on each other interface with its VIPs (VMACs only, unless all)',
    ),
  ),
  works('vrrp_instance', 'track_process', T.process, 'priority or FAULT follows the process quorum'),
  ...warned('vrrp_instance', 'track_bfd', 'BFD is not implemented'),
  ...warned('vrrp_instance', 'use_ipvlan', 'ipvlan interfaces are not created'),
  ...warned('vrrp_instance', 'vrf', 'VRFs are not supported'),
  ...warned('vrrp_instance', 'track_src_ip', 'the source address is not tracked'),
  ...warned('vrrp_instance', 'old_unicast_checksum', 'only the standard checksum is sent'),
  ...warned('vrrp_instance', 'linkbeat_use_polling', 'vrrpd always uses netlink link state'),
  ...warned('vrrp_instance', 'kernel_rx_buf_size', 'the kernel default receive buffer is used'),
  ...warned('vrrp_instance', 'smtp_alert', 'e-mail alerts are not implemented'),
  ...warned('vrrp_instance', 'lvs_sync_daemon_interface', LVS),
  ...warned('vrrp_instance', 'native_ipv6', 'deprecated: the VIP family selects IPv6'),
  ...warned('vrrp_instance', 'debug', 'keepalived does not implement it either'),
  works('authentication', 'auth_type', T.interop, 'PASS (AH sends no authentication)'),
  works('authentication', 'auth_pass', T.interop, 'the password, at most 8 characters'),

  // ---- value-block options ----------------------------------------------------------------------
  works('virtual_ipaddress', 'dev', T.interop, 'interface the VIP is added to'),
  ...'brd broadcast scope label noprefixroute preferred_lft peer home -nodad mngtmpaddr autojoin'
    .split(' ')
    .map((k) =>
      works(
        'virtual_ipaddress',
        k,
        'test/integration/wire/vip-options.test.ts',
        'address option, as keepalived applies it',
      ),
    ),
  works(
    'virtual_ipaddress',
    'no_track',
    'test/integration/wire/vip-no-track.test.ts',
    'deleting this VIP does not make the Master resign',
  ),
  ...warned('virtual_ipaddress', 'track_group', 'this address option is not applied'),
  works('virtual_ipaddress', 'use_vmac', T.vmacAddr, 'the address lives on a VMAC of its own, as with use_vmac_addr'),
  works(
    'unicast_peer',
    'min_ttl',
    'test/integration/wire/routed-unicast.test.ts',
    'lowest TTL accepted from this peer',
  ),
  works(
    'unicast_peer',
    'max_ttl',
    'test/integration/wire/routed-unicast.test.ts',
    'highest TTL accepted from this peer',
  ),
  works('track_line', 'weight', T.tracking, 'weight of a tracked interface / script / file'),
  works('track_line', 'reverse', T.tracking, 'the weight applies the other way round'),
  works('track_line', 'noreverse', T.tracking, "overrides a script's reverse"),

  // ---- vrrp_sync_group --------------------------------------------------------------------------
  works('vrrp_sync_group', 'group', T.runtime, 'the member instances'),
  works('vrrp_sync_group', 'track_interface', T.sync, 'applies to every member, with its weight'),
  works('vrrp_sync_group', 'track_script', T.blocks, 'applies to every member, with its weight'),
  works('vrrp_sync_group', 'track_file', T.blocks, 'applies to every member, with its weight'),
  works('vrrp_sync_group', 'notify_master', T.sync, 'run when every member is Master'),
  works('vrrp_sync_group', 'notify_backup', T.sync, 'run when every member is Backup'),
  works('vrrp_sync_group', 'notify_fault', T.sync, 'run when every member is in FAULT'),
  works('vrrp_sync_group', 'notify_stop', T.sync, 'run on stop, after the members'),
  works('vrrp_sync_group', 'notify', T.sync, 'run with GROUP NAME STATE 0; GROUP lines on the FIFOs'),
  works('vrrp_sync_group', 'notify_priority_changes', T.blocks, 'default of its members'),
  works('vrrp_sync_group', 'sync_group_tracking_weight', T.sync, 'without it member weights are dropped'),
  works('vrrp_sync_group', 'track_process', T.process, "applies to every member, as the instances' own"),
  ...warned('vrrp_sync_group', 'track_bfd', 'BFD is not implemented'),
  ...warned('vrrp_sync_group', 'smtp_alert', 'e-mail alerts are not implemented'),
  ...warned('vrrp_sync_group', 'global_tracking', 'deprecated in keepalived; members keep their own tracking'),

  // ---- vrrp_script / track_file -----------------------------------------------------------------
  works('vrrp_script', 'script', T.runtime, 'the check command'),
  works('vrrp_script', 'interval', T.tracking, 'seconds between runs'),
  works('vrrp_script', 'timeout', T.tracking, 'a run longer than this fails'),
  works('vrrp_script', 'weight', T.tracking, 'priority change while failing / succeeding'),
  works('vrrp_script', 'rise', T.tracking, 'successes needed to be up'),
  works('vrrp_script', 'fall', T.tracking, 'failures needed to be down'),
  works('vrrp_script', 'user', T.runtime, 'user (and group) the script runs as'),
  works(
    'vrrp_script',
    'init_fail',
    T.initFail,
    "no effect, as in keepalived 2.2.7: an instance's track_script resets the script's start state",
  ),
  works('track_file', 'file', T.runtime, 'the file read'),
  works('track_file', 'weight', T.runtime, 'multiplier of the value read'),
  works(
    'track_file',
    'init_file',
    'test/integration/keywords/init-file.test.ts',
    'writes the value at start if missing (always with overwrite)',
  ),

  // ---- vrrp_track_process ------------------------------------------------------------------------
  ...['process', 'weight', 'quorum', 'terminate_delay'].map((k) =>
    works('vrrp_track_process', k, T.process, 'as keepalived.conf(5); compared at start-up with keepalived 2.2.7'),
  ),
  ...['param_match', 'quorum_max', 'delay', 'fork_delay', 'full_command'].map((k) =>
    works('vrrp_track_process', k, T.processUnit, 'as keepalived.conf(5) (matching and delays unit-tested)'),
  ),
  // ---- blocks vrrpd skips whole (their contents are never read) ---------------------------------
  ...['garp_interval', 'gna_interval', 'interface', 'interfaces'].map((k) =>
    works('garp_group', k, T.garpGroup, 'as keepalived.conf(5); compared with keepalived 2.2.7'),
  ),
  ...warned('track_group', 'group', 'track groups are not implemented'),
];

const index = new Map(KEYWORDS.map((e) => [`${e.context}\u0000${e.keyword}`, e] as const));

/** The registry entry of `keyword` in `context`, if keepalived 2.2.7 accepts it there. */
export function lookupKeyword(context: KeywordContext, keyword: string): KeywordEntry | undefined {
  return index.get(`${context}\u0000${keyword}`);
}

/** The warning (or error) text for a keyword that does not work. */
export function notHonouredMessage(entry: KeywordEntry): string {
  return entry.status === 'refused'
    ? `'${entry.keyword}' is not supported by vrrpd: ${entry.note}`
    : `'${entry.keyword}' is accepted by keepalived but not honoured by vrrpd: ${entry.note}`;
}
