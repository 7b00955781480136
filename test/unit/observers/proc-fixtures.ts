/**
 * Real text captured from a namespace on this machine (kernel 6.18): host netns with 10.98.0.11/24 and the
 * VIP 10.98.0.254/24 on eth0, fd00:98::11/64 and the VIP fd00:98::fe/64 (nodad), link-local still in DAD.
 * `cat /proc/<anchor>/net/fib_trie` and `cat /proc/<anchor>/net/if_inet6`.
 */
export const FIB_TRIE_WITH_VIP = `Main:
  +-- 0.0.0.0/1 2 0 2
     +-- 10.98.0.0/24 2 0 2
        +-- 10.98.0.0/28 2 0 2
           |-- 10.98.0.0
              /24 link UNICAST
           |-- 10.98.0.11
              /32 host LOCAL
        +-- 10.98.0.254/31 1 0 0
           |-- 10.98.0.254
              /32 host LOCAL
           |-- 10.98.0.255
              /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
Local:
  +-- 0.0.0.0/1 2 0 2
     +-- 10.98.0.0/24 2 0 2
        +-- 10.98.0.0/28 2 0 2
           |-- 10.98.0.0
              /24 link UNICAST
           |-- 10.98.0.11
              /32 host LOCAL
        +-- 10.98.0.254/31 1 0 0
           |-- 10.98.0.254
              /32 host LOCAL
           |-- 10.98.0.255
              /32 link BROADCAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
`;

export const IF_INET6_WITH_VIP = `fd0000980000000000000000000000fe 02 40 00 82     eth0
00000000000000000000000000000001 01 80 10 80       lo
fd000098000000000000000000000011 02 40 00 82     eth0
fe8000000000000040cb9cfffe221dee 02 40 20 c0     eth0
`;

/** `ip -ts monitor address` output (TZ=UTC) for add/delete of 10.98.0.254/24 and fd00:98::fe/64. */
export const MONITOR_LINES = `[2026-11-25T14:50:50.322311] 2: eth0    inet 10.98.0.254/24 scope global secondary eth0
       valid_lft forever preferred_lft forever
[2026-11-25T14:50:50.328795] Deleted 2: eth0    inet 10.98.0.254/24 scope global secondary eth0
       valid_lft forever preferred_lft forever
[2026-11-25T14:50:50.334555] 2: eth0    inet6 fd00:98::fe/64 scope global nodad 
       valid_lft forever preferred_lft forever
[2026-11-25T14:50:50.340620] Deleted 2: eth0    inet6 fd00:98::fe/64 scope global nodad 
       valid_lft forever preferred_lft forever`;
