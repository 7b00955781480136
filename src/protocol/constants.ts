/** IP protocol number / IPv6 Next Header for VRRP (RFC 3768 §5.2.4, RFC 5798 §5.1.1.4, §5.1.2.4). */
export const VRRP_IP_PROTOCOL = 112;
/** Adverts are sent with TTL / Hop Limit 255 and a receiver must discard anything else (RFC 5798 §5.1.1.3). */
export const VRRP_TTL = 255;
export const VRRP_MULTICAST_V4 = '224.0.0.18';
export const VRRP_MULTICAST_V6 = 'ff02::12';
/** ADVERTISEMENT is the only packet type ever defined (RFC 3768 §5.3.2, RFC 5798 §5.2.2). */
export const VRRP_TYPE_ADVERTISEMENT = 1;

/** Fixed part of the VRRP header, both versions. */
export const VRRP_HEADER_LENGTH = 8;
/** v2 messages always end in 8 bytes of Authentication Data, even with Auth Type 0 (RFC 3768 §5.3.10). */
export const V2_AUTH_DATA_LENGTH = 8;
/** v3 Max Adver Int is 12 bits of centiseconds (RFC 5798 §5.2.7). */
export const V3_MAX_INTERVAL_CS = 0x0fff;

/** v2 Auth Types: 0 none; 1 simple text password and 2 IP AH from RFC 2338, "Reserved" since RFC 3768 §5.3.6. */
export const AUTH_NONE = 0;
export const AUTH_PASS = 1;
export const AUTH_AH = 2;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
/** 802.1ad service tag (QinQ outer tag); same 4-byte layout as 802.1Q. */
export const ETHERTYPE_QINQ = 0x88a8;

export const IP_PROTOCOL_ICMPV6 = 58;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
