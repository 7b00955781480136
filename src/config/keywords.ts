/**
 * Keyword sets taken from keepalived 2.2.7's install_keyword() tables (core/global_parser.c,
 * vrrp/vrrp_parser.c, check/check_parser.c, trackers/track_file.c, bfd/bfd_parser.c). A keyword in
 * one of the "ignored" sets is valid keepalived that vrrpd does not act on: it gets one warning, never an
 * error. Anything in no set is unknown to keepalived and is an error.
 */

/** Top-level blocks/keywords vrrpd skips (LVS, BFD, static addressing, process tracking, namespaces...). */
export const IGNORED_ROOT_KEYWORDS: ReadonlySet<string> = new Set([
  'virtual_server',
  'virtual_server_group',
  'SSL',
  'static_ipaddress',
  'track_group',
  'linkbeat_interfaces',
  'vrrp_track_process',
  'garp_group',
  'interface_up_down_delays',
  'bfd_instance',
  'net_namespace',
  'net_namespace_ipvs',
  'namespace_with_ipsets',
  'use_pid_dir',
  'instance',
  'child_wait_time',
  'linkbeat_use_polling',
]);

/** global_defs keywords keepalived knows and vrrpd does not implement. */
export const IGNORED_GLOBAL_KEYWORDS: ReadonlySet<string> = new Set(
  `process_names process_name vrrp_process_name checker_process_name lvs_process_name bfd_process_name
  notification_email_from smtp_server smtp_helo_name smtp_connect_timeout notification_email smtp_alert
  startup_script startup_script_timeout shutdown_script shutdown_script_timeout max_auto_priority
  min_auto_priority_delay smtp_alert_vrrp smtp_alert_checker checker_log_all_failures dynamic_interfaces
  no_email_faults default_interface disable_local_igmp lvs_timeouts lvs_flush lvs_flush_on_stop
  lvs_flush_onstop lvs_sync_daemon vrrp_garp_extra_if vrrp_vmac_garp_intvl vrrp_iptables vrrp_ipsets
  nftables nftables_priority nftables_ifindex nftables_ipvs nftables_ipvs_priority nftables_ipvs_start_fwmark
  nftables_counters vrrp_priority vrrp_no_swap vrrp_rt_priority vrrp_cpu_affinity vrrp_rlimit_rttime
  vrrp_rlimit_rtime fifo_write_vrrp_states_on_reload lvs_notify_fifo lvs_notify_fifo_script checker_priority
  checker_no_swap checker_rt_priority checker_cpu_affinity checker_rlimit_rttime checker_rlimit_rtime
  bfd_priority bfd_no_swap bfd_rt_priority bfd_cpu_affinity bfd_rlimit_rttime bfd_rlimit_rtime snmp_socket
  enable_traps enable_snmp_vrrp enable_snmp_keepalived enable_snmp_rfc enable_snmp_rfcv2 enable_snmp_rfcv3
  enable_snmp_checker enable_dbus dbus_service_name vrrp_netlink_cmd_rcv_bufs vrrp_netlink_cmd_rcv_bufs_force
  vrrp_netlink_monitor_rcv_bufs vrrp_netlink_monitor_rcv_bufs_force process_monitor_rcv_bufs
  process_monitor_rcv_bufs_force lvs_netlink_cmd_rcv_bufs lvs_netlink_cmd_rcv_bufs_force
  lvs_netlink_monitor_rcv_bufs lvs_netlink_monitor_rcv_bufs_force rs_init_notifies no_checker_emails
  vrrp_rx_bufs_policy vrrp_rx_bufs_multiplier log_unknown_vrids vmac_addr_prefix umask random_seed
  reload_check_config reload_time_file reload_repeat reload_file include_check config_save_dir
  tmp_config_directory data_use_instance`.split(/\s+/),
);

/** vrrp_instance keywords keepalived knows and vrrpd does not implement. */
export const IGNORED_INSTANCE_KEYWORDS: ReadonlySet<string> = new Set([
  'use_ipvlan',
  'unicast_fault_no_peer',
  'old_unicast_checksum',
  'vrf',
  'track_process',
  'track_bfd',
  'track_src_ip',
  'promote_secondaries',
  'linkbeat_use_polling',
  'smtp_alert',
  'lvs_sync_daemon_interface',
  'garp_extra_if',
  'vmac_garp_intvl',
  'kernel_rx_buf_size',
]);

/** vrrp_sync_group keywords keepalived knows and vrrpd does not implement. */
export const IGNORED_SYNC_GROUP_KEYWORDS: ReadonlySet<string> = new Set([
  'track_process',
  'track_bfd',
  'smtp_alert',
  'global_tracking',
]);

export function notImplementedMessage(keyword: string): string {
  return `'${keyword}' is accepted by keepalived but not implemented by vrrpd; ignored`;
}

export function unknownKeywordMessage(keyword: string, where: string): string {
  return `unknown keyword '${keyword}' in ${where}`;
}
