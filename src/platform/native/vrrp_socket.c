/*
 * vrrp_socket: the daemon's only native code. Raw VRRP sockets (IP protocol 112, IPv4 and IPv6),
 * AF_PACKET send-only sockets (gratuitous ARP / unsolicited NA), NETLINK_ROUTE sockets (link events,
 * and synchronous rtnetlink requests for address changes).
 *
 * Receive is integrated in libuv with uv_poll_t: on each readable event the socket is drained with
 * recvmsg() until EAGAIN and every datagram is handed to JS with napi_make_callback. No thread, no
 * timer polling. Every failing syscall throws an Error with `code` = errno name and `syscall` set.
 *
 * Handle lifetime: a handle is a napi external wrapping sock_t. While receiving, the handle holds a
 * strong reference to itself (like a net.Socket, an active socket is not garbage collected); close()
 * drops it. sock_t is freed only when both the external has been finalized and the uv_poll handle
 * has been closed, so a GC during a JS callback can never free memory the drain loop still uses.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "extras.h"

#ifndef IPPROTO_VRRP
#define IPPROTO_VRRP 112
#endif
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

/* Large enough for any datagram: a netlink dump part is at most 32 KiB, an IP packet at most 64 KiB. */
#define RECV_BUF_SIZE 65536

enum kind { K_VRRP4 = 4, K_VRRP6 = 6, K_PACKET = 17, K_NETLINK = 16, K_RTNL = 160 };

typedef struct vrrp_rx_sock {
  napi_env env;
  int kind;
  int fd;
  int ifindex;
  struct in_addr local4;
  struct in6_addr local6;
  uv_poll_t poll;
  int poll_inited;   /* uv_poll_init succeeded */
  int poll_closed;   /* uv_close callback has run */
  int finalized;     /* the JS external is gone */
  int closed;        /* close() was called (fd closed) */
  int refed;
  napi_ref cb;
  napi_ref self;
  napi_async_context actx;
  unsigned char *buf;
  /* VRRP sockets: per-VRID lists of the Backups' advert watches (advert_watch.c), allocated at the first. */
  advert_watch_t **watches;
} sock_t;

/* ---------- errors ---------- */

static napi_value make_errno_error(napi_env env, int err, const char *syscall, const char *detail) {
  return extras_errno_error(env, err, syscall, detail);
}

static void throw_errno(napi_env env, int err, const char *syscall, const char *detail) {
  napi_throw(env, make_errno_error(env, err, syscall, detail));
}

#define CHECK_NAPI(call)                                                                      \
  do {                                                                                        \
    if ((call) != napi_ok) {                                                                  \
      bool pending_;                                                                          \
      napi_is_exception_pending(env, &pending_);                                              \
      if (!pending_) napi_throw_error(env, "EINVAL", "vrrp_socket: invalid argument");       \
      return NULL;                                                                            \
    }                                                                                         \
  } while (0)

/* ---------- argument helpers ---------- */

static int get_string(napi_env env, napi_value v, char *out, size_t cap, const char *what) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, out, cap, &len) != napi_ok) {
    char m[128];
    snprintf(m, sizeof m, "%s must be a string", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", m);
    return -1;
  }
  if (len >= cap - 1) {
    char m[128];
    snprintf(m, sizeof m, "%s is too long", what);
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", m);
    return -1;
  }
  return 0;
}

static sock_t *get_sock(napi_env env, napi_value v) {
  sock_t *s = NULL;
  if (napi_get_value_external(env, v, (void **)&s) != napi_ok || s == NULL) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a vrrp_socket handle");
    return NULL;
  }
  return s;
}

static sock_t *get_open_sock(napi_env env, napi_value v) {
  sock_t *s = get_sock(env, v);
  if (s && s->closed) {
    throw_errno(env, EBADF, "vrrp_socket", "socket is closed");
    return NULL;
  }
  return s;
}

/* ---------- lifetime ---------- */

static void sock_free(sock_t *s) {
  free(s->watches);
  free(s->buf);
  free(s);
}

static void on_poll_closed(uv_handle_t *h) {
  sock_t *s = h->data;
  s->poll_closed = 1;
  if (s->finalized) sock_free(s);
}

/* Stops the poll handle, closes the fd, releases JS references. Safe to call twice. */
static void sock_close(napi_env env, sock_t *s, int from_finalizer) {
  if (s->closed) return;
  s->closed = 1;
  if (s->watches)
    for (unsigned v = 0; v < 256; v++) advert_watch_unlink_all(s->watches[v]);
  if (s->poll_inited) {
    /* uv_close stops the watcher (epoll_ctl DEL) before we close the fd below. */
    uv_close((uv_handle_t *)&s->poll, on_poll_closed);
  }
  if (s->fd >= 0) close(s->fd);
  s->fd = -1;
  if (!from_finalizer) {
    if (s->actx) napi_async_destroy(env, s->actx);
    if (s->cb) napi_delete_reference(env, s->cb);
    if (s->self) napi_delete_reference(env, s->self);
  }
  s->actx = NULL;
  s->cb = NULL;
  s->self = NULL;
}

static void sock_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  sock_t *s = data;
  s->finalized = 1;
  /* Only reachable when not receiving (receiving holds s->self) or at environment teardown. */
  sock_close(env, s, 1);
  if (!s->poll_inited || s->poll_closed) sock_free(s);
}

static napi_value wrap_sock(napi_env env, sock_t *s) {
  napi_value ext;
  if (napi_create_external(env, s, sock_finalize, NULL, &ext) != napi_ok) {
    if (s->fd >= 0) close(s->fd);
    sock_free(s);
    return NULL;
  }
  return ext;
}

static sock_t *sock_new(napi_env env, int kind, int fd) {
  sock_t *s = calloc(1, sizeof *s);
  if (!s) {
    close(fd);
    throw_errno(env, ENOMEM, "calloc", NULL);
    return NULL;
  }
  s->env = env;
  s->kind = kind;
  s->fd = fd;
  s->refed = 1;
  return s;
}

/* ---------- open ---------- */

#define SETOPT(level, name, val, label)                                            \
  do {                                                                             \
    if (setsockopt(fd, level, name, &(val), sizeof(val)) < 0) {                    \
      int e_ = errno;                                                              \
      close(fd);                                                                   \
      throw_errno(env, e_, "setsockopt(" label ")", ifname);                       \
      return NULL;                                                                 \
    }                                                                              \
  } while (0)

/* openVrrp(family: 4|6, ifname, localAddress, joinMulticast): handle */
static napi_value open_vrrp(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t family = 0;
  bool join = false;
  char ifname[IFNAMSIZ + 1], local[INET6_ADDRSTRLEN + 1];
  CHECK_NAPI(napi_get_value_int32(env, argv[0], &family));
  if (get_string(env, argv[1], ifname, sizeof ifname, "ifname") < 0) return NULL;
  if (get_string(env, argv[2], local, sizeof local, "localAddress") < 0) return NULL;
  CHECK_NAPI(napi_get_value_bool(env, argv[3], &join));
  if (family != 4 && family != 6) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "family must be 4 or 6");
    return NULL;
  }
  struct in_addr l4 = {0};
  struct in6_addr l6 = IN6ADDR_ANY_INIT;
  if ((family == 4 ? inet_pton(AF_INET, local, &l4) : inet_pton(AF_INET6, local, &l6)) != 1) {
    throw_errno(env, EINVAL, "inet_pton", local);
    return NULL;
  }
  unsigned ifindex = if_nametoindex(ifname);
  if (ifindex == 0) {
    throw_errno(env, errno == ENXIO ? ENODEV : errno, "if_nametoindex", ifname);
    return NULL;
  }

  int fd = socket(family == 4 ? AF_INET : AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_VRRP);
  if (fd < 0) {
    throw_errno(env, errno, "socket", ifname);
    return NULL;
  }
  if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, strlen(ifname)) < 0) {
    int e = errno;
    close(fd);
    throw_errno(env, e, "setsockopt(SO_BINDTODEVICE)", ifname);
    return NULL;
  }
  int zero = 0, one = 1, ttl = 255;
  if (family == 4) {
    /* No bind(): a raw IPv4 socket bound to an address only receives packets whose destination is that
     * address, which would drop adverts to 224.0.0.18. The source is set per packet with IP_PKTINFO
     * instead, and IP_MULTICAST_IF gives multicast a route in a netns without a default route. */
    int tos = 0xc0; /* DSCP CS6 "network control", as keepalived sends */
    struct ip_mreqn mif = {.imr_address = l4, .imr_ifindex = (int)ifindex};
    SETOPT(IPPROTO_IP, IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL"); /* IP_TTL does not apply to multicast */
    SETOPT(IPPROTO_IP, IP_TTL, ttl, "IP_TTL");
    SETOPT(IPPROTO_IP, IP_TOS, tos, "IP_TOS");
    SETOPT(IPPROTO_IP, IP_MULTICAST_LOOP, zero, "IP_MULTICAST_LOOP");
    /* Without this a raw socket receives every group any socket on the host joined. */
    SETOPT(IPPROTO_IP, IP_MULTICAST_ALL, zero, "IP_MULTICAST_ALL");
    SETOPT(IPPROTO_IP, IP_MULTICAST_IF, mif, "IP_MULTICAST_IF");
    SETOPT(IPPROTO_IP, IP_PKTINFO, one, "IP_PKTINFO");
    if (join) {
      struct ip_mreqn mreq = {.imr_ifindex = (int)ifindex};
      inet_pton(AF_INET, "224.0.0.18", &mreq.imr_multiaddr);
      SETOPT(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq, "IP_ADD_MEMBERSHIP");
    }
  } else {
    int mif = (int)ifindex;
    SETOPT(IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl, "IPV6_MULTICAST_HOPS");
    SETOPT(IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl, "IPV6_UNICAST_HOPS");
    SETOPT(IPPROTO_IPV6, IPV6_MULTICAST_LOOP, zero, "IPV6_MULTICAST_LOOP");
    SETOPT(IPPROTO_IPV6, IPV6_MULTICAST_ALL, zero, "IPV6_MULTICAST_ALL");
    SETOPT(IPPROTO_IPV6, IPV6_MULTICAST_IF, mif, "IPV6_MULTICAST_IF");
    /* The IPv6 header is never delivered on raw sockets: hop limit and destination come as cmsgs. */
    SETOPT(IPPROTO_IPV6, IPV6_RECVHOPLIMIT, one, "IPV6_RECVHOPLIMIT");
    SETOPT(IPPROTO_IPV6, IPV6_RECVPKTINFO, one, "IPV6_RECVPKTINFO");
    /* IPV6_CHECKSUM deliberately left off: the daemon verifies checksums so it can count bad ones. */
    if (join) {
      struct ipv6_mreq mreq = {.ipv6mr_interface = ifindex};
      inet_pton(AF_INET6, "ff02::12", &mreq.ipv6mr_multiaddr);
      SETOPT(IPPROTO_IPV6, IPV6_JOIN_GROUP, mreq, "IPV6_JOIN_GROUP");
    }
  }
  sock_t *s = sock_new(env, family == 4 ? K_VRRP4 : K_VRRP6, fd);
  if (!s) return NULL;
  s->ifindex = (int)ifindex;
  s->local4 = l4;
  s->local6 = l6;
  return wrap_sock(env, s);
}

/* openPacket(ifname): send-only AF_PACKET socket bound to the interface. */
static napi_value open_packet(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IFNAMSIZ + 1];
  if (get_string(env, argv[0], ifname, sizeof ifname, "ifname") < 0) return NULL;
  unsigned ifindex = if_nametoindex(ifname);
  if (ifindex == 0) {
    throw_errno(env, errno == ENXIO ? ENODEV : errno, "if_nametoindex", ifname);
    return NULL;
  }
  /* Protocol 0: the socket is never hooked into the receive path, so frames we would never read do
   * not pile up in its buffer. Each send names the frame's own EtherType. */
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    throw_errno(env, errno, "socket(AF_PACKET)", ifname);
    return NULL;
  }
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = 0, .sll_ifindex = (int)ifindex};
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) {
    int e = errno;
    close(fd);
    throw_errno(env, e, "bind(AF_PACKET)", ifname);
    return NULL;
  }
  sock_t *s = sock_new(env, K_PACKET, fd);
  if (!s) return NULL;
  s->ifindex = (int)ifindex;
  return wrap_sock(env, s);
}

/* openNetlink(groups: number): NETLINK_ROUTE socket subscribed to the RTMGRP_* bit mask. */
static napi_value open_netlink(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t groups = 0;
  CHECK_NAPI(napi_get_value_uint32(env, argv[0], &groups));
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) {
    throw_errno(env, errno, "socket(AF_NETLINK)", NULL);
    return NULL;
  }
  /* Link flaps come in bursts; a bigger buffer makes ENOBUFS (lost events) less likely. */
  int rcvbuf = 1 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl snl = {.nl_family = AF_NETLINK, .nl_groups = groups};
  if (bind(fd, (struct sockaddr *)&snl, sizeof snl) < 0) {
    int e = errno;
    close(fd);
    throw_errno(env, e, "bind(AF_NETLINK)", NULL);
    return NULL;
  }
  sock_t *s = sock_new(env, K_NETLINK, fd);
  if (!s) return NULL;
  return wrap_sock(env, s);
}

/* ---------- receive ---------- */

static void call_js(napi_env env, sock_t *s, napi_value recv, napi_value cb, size_t argc, napi_value *argv) {
  extras_call_from_loop(env, s->actx, recv, cb, argc, argv);
}

static void deliver_error(napi_env env, sock_t *s, napi_value recv, napi_value cb, int err, const char *syscall) {
  napi_value argv[1] = {make_errno_error(env, err, syscall, NULL)};
  call_js(env, s, recv, cb, 1, argv);
}

/* Reads one datagram and builds the callback arguments. Returns argc, 0 for EAGAIN, -errno on error, and
 * ABSORBED for a repeat an advert watch took (nothing for JS). */
#define ABSORBED 1000
static int read_one(napi_env env, sock_t *s, napi_value *argv) {
  struct sockaddr_storage from;
  union {
    char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
    struct cmsghdr align;
  } ctrl;
  struct iovec iov = {.iov_base = s->buf, .iov_len = RECV_BUF_SIZE};
  struct msghdr msg = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                       .msg_control = ctrl.buf, .msg_controllen = sizeof ctrl.buf};
  ssize_t n;
  do {
    n = recvmsg(s->fd, &msg, 0);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
  if ((msg.msg_flags & MSG_TRUNC) || n > RECV_BUF_SIZE) n = RECV_BUF_SIZE; /* cannot happen at 64 KiB */
  vrrp_rx_meta_t m;
  memset(&m, 0, sizeof m);
  m.at_us = extras_monotonic_us();
  m.ttl = -1;
  m.ifindex = s->ifindex;
  const unsigned char *payload = s->buf;
  size_t plen = (size_t)n;
  int has_src = 0, has_dst = 0; /* what the datagram told: the JS callback gets "" for the rest */
  if (s->kind == K_VRRP4) {
    /* IPv4 raw sockets deliver the IP header: TTL and addresses are read from it. */
    m.family = 4;
    if (n >= 20) {
      m.ttl = s->buf[8];
      memcpy(m.src, s->buf + 12, 4);
      memcpy(m.dst, s->buf + 16, 4);
      has_src = has_dst = 1;
      size_t ihl = (size_t)(s->buf[0] & 0x0f) * 4;
      payload = ihl <= plen ? s->buf + ihl : s->buf + plen;
      plen = ihl <= plen ? plen - ihl : 0;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        struct in_pktinfo pi;
        memcpy(&pi, CMSG_DATA(c), sizeof pi);
        m.ifindex = pi.ipi_ifindex;
      }
    }
  } else if (s->kind == K_VRRP6) {
    m.family = 6;
    memcpy(m.src, &((struct sockaddr_in6 *)&from)->sin6_addr, 16);
    has_src = 1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != IPPROTO_IPV6) continue;
      if (c->cmsg_type == IPV6_HOPLIMIT) {
        memcpy(&m.ttl, CMSG_DATA(c), sizeof m.ttl);
      } else if (c->cmsg_type == IPV6_PKTINFO) {
        struct in6_pktinfo pi;
        memcpy(&pi, CMSG_DATA(c), sizeof pi);
        memcpy(m.dst, &pi.ipi6_addr, 16);
        has_dst = 1;
        m.ifindex = (int)pi.ipi6_ifindex;
      }
    }
  }
  if (s->watches && plen >= 2 && advert_watch_absorb(s->watches[payload[1]], &m, payload, plen)) return ABSORBED;

  napi_get_null(env, &argv[0]);
  void *data;
  napi_create_buffer_copy(env, (size_t)n, s->buf, &data, &argv[1]);
  if (s->kind == K_NETLINK) return 2;
  char src[INET6_ADDRSTRLEN] = "", dst[INET6_ADDRSTRLEN] = "";
  int af = m.family == 4 ? AF_INET : AF_INET6;
  if (has_src) inet_ntop(af, m.src, src, sizeof src);
  if (has_dst) inet_ntop(af, m.dst, dst, sizeof dst);
  napi_create_string_utf8(env, src, NAPI_AUTO_LENGTH, &argv[2]);
  napi_create_string_utf8(env, dst, NAPI_AUTO_LENGTH, &argv[3]);
  napi_create_int32(env, m.ttl, &argv[4]);
  napi_create_int32(env, m.ifindex, &argv[5]);
  napi_create_int64(env, m.at_us, &argv[6]);
  return 7;
}

/* Reads every queued datagram (until EAGAIN) and hands each to the callback. sync: called from JS
 * (drainPending), so the callback runs with napi_call_function and an exception propagates to the
 * caller; otherwise called from the event loop through napi_make_callback. */
static void drain_socket(sock_t *s, int sync) {
  napi_env env = s->env;
  napi_handle_scope outer;
  napi_open_handle_scope(env, &outer);
  napi_value cb, recv;
  napi_get_reference_value(env, s->cb, &cb);
  napi_get_reference_value(env, s->self, &recv);
  while (!s->closed) {
    napi_handle_scope inner;
    napi_open_handle_scope(env, &inner);
    napi_value argv[7];
    int r = read_one(env, s, argv);
    int stop = 0;
    if (r < 0) {
      /* ENOBUFS on netlink = events were lost; JS re-syncs. The socket stays usable, keep going. */
      argv[0] = make_errno_error(env, -r, "recvmsg", NULL);
      if (-r != ENOBUFS) stop = 1;
      r = 1;
    } else if (r == 0) {
      stop = 1;
    } else if (r == ABSORBED) {
      r = 0;
    }
    if (r > 0) {
      if (sync) {
        napi_value result;
        if (napi_call_function(env, recv, cb, (size_t)r, argv, &result) == napi_pending_exception) stop = 1;
      } else {
        call_js(env, s, recv, cb, (size_t)r, argv);
      }
    }
    napi_close_handle_scope(env, inner);
    if (stop) break;
  }
  napi_close_handle_scope(env, outer);
}

static void on_readable(uv_poll_t *h, int status, int events) {
  (void)events;
  sock_t *s = h->data;
  napi_env env = s->env;
  if (s->closed || !s->cb) return;
  if (status < 0) {
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    napi_value cb, recv;
    napi_get_reference_value(env, s->cb, &cb);
    napi_get_reference_value(env, s->self, &recv);
    uv_poll_stop(&s->poll);
    deliver_error(env, s, recv, cb, -status, "uv_poll");
    napi_close_handle_scope(env, scope);
    return;
  }
  /* Drain: edge cases aside, one readable event may stand for many queued datagrams. */
  drain_socket(s, 0);
}

vrrp_rx_sock_t *vrrp_rx_sock(napi_env env, napi_value sockv) {
  sock_t *s = get_open_sock(env, sockv);
  if (s && s->kind != K_VRRP4 && s->kind != K_VRRP6) {
    throw_errno(env, EINVAL, "advert watch", "not a VRRP socket");
    return NULL;
  }
  return s;
}

int vrrp_rx_family(vrrp_rx_sock_t *s) { return s->kind == K_VRRP4 ? 4 : 6; }

int vrrp_rx_address(napi_env env, vrrp_rx_sock_t *s, napi_value v, const char *what, unsigned char out[16]) {
  char text[INET6_ADDRSTRLEN + 1];
  memset(out, 0, 16);
  if (get_string(env, v, text, sizeof text, what) < 0) return -1;
  if (inet_pton(s->kind == K_VRRP4 ? AF_INET : AF_INET6, text, out) != 1) {
    throw_errno(env, EINVAL, "inet_pton", text);
    return -1;
  }
  return 0;
}

advert_watch_t **vrrp_rx_watch_slot(vrrp_rx_sock_t *s, unsigned vrid) {
  if (s->closed || vrid > 255) return NULL;
  if (!s->watches) s->watches = calloc(256, sizeof *s->watches);
  return s->watches ? &s->watches[vrid] : NULL;
}

void vrrp_rx_drain(vrrp_rx_sock_t *s) {
  if (!s->closed && s->cb) drain_socket(s, 0);
}

/* drainPending(handle): delivers, synchronously, every datagram already queued on the socket. The daemon
 * calls it before acting on a timer that fired late: when a stalled event loop wakes with both the timer
 * and the socket ready, the advert that arrived in time must count before Master_Down does. */
static napi_value drain_pending(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sock_t *s = get_open_sock(env, argv[0]);
  if (!s) return NULL;
  if (s->cb && s->kind != K_NETLINK) drain_socket(s, 1);
  return NULL;
}

/* startReceive(handle, cb(err, data, src?, dst?, ttl?, ifindex?, receivedAtUs?)) */
static napi_value start_receive(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], self = NULL;
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sock_t *s = get_open_sock(env, argv[0]);
  if (!s) return NULL;
  if (s->kind == K_PACKET || s->kind == K_RTNL) {
    throw_errno(env, EOPNOTSUPP, "startReceive", "packet and rtnl request sockets do not receive events");
    return NULL;
  }
  if (s->cb) {
    throw_errno(env, EALREADY, "startReceive", "already receiving");
    return NULL;
  }
  self = argv[0];
  napi_valuetype t;
  napi_typeof(env, argv[1], &t);
  if (t != napi_function) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "callback must be a function");
    return NULL;
  }
  s->buf = malloc(RECV_BUF_SIZE);
  if (!s->buf) {
    throw_errno(env, ENOMEM, "malloc", NULL);
    return NULL;
  }
  uv_loop_t *loop;
  CHECK_NAPI(napi_get_uv_event_loop(env, &loop));
  int r = uv_poll_init_socket(loop, &s->poll, s->fd);
  if (r < 0) {
    throw_errno(env, -r, "uv_poll_init", NULL);
    return NULL;
  }
  s->poll.data = s;
  s->poll_inited = 1;
  if (!s->refed) uv_unref((uv_handle_t *)&s->poll);
  napi_value name;
  napi_create_string_utf8(env, "VrrpSocket", NAPI_AUTO_LENGTH, &name);
  CHECK_NAPI(napi_async_init(env, NULL, name, &s->actx));
  CHECK_NAPI(napi_create_reference(env, argv[1], 1, &s->cb));
  CHECK_NAPI(napi_create_reference(env, self, 1, &s->self));
  r = uv_poll_start(&s->poll, UV_READABLE, on_readable);
  if (r < 0) {
    throw_errno(env, -r, "uv_poll_start", NULL);
    return NULL;
  }
  return NULL;
}

/* ---------- send ---------- */

/* Appends an int-valued control message (IP_TTL / IPV6_HOPLIMIT) at `used`; returns the new control length. */
static size_t put_int_cmsg(char *buf, size_t used, int level, int type, int value) {
  struct cmsghdr *c = (struct cmsghdr *)(buf + used);
  c->cmsg_level = level;
  c->cmsg_type = type;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &value, sizeof value);
  return used + CMSG_SPACE(sizeof(int));
}

/*
 * Fills `d` with where and how one VRRP datagram goes: destination, and the control messages.
 * srcv: per-packet source address (IP_PKTINFO / IPV6_PKTINFO), so instances sharing the socket each send from
 * their own mcast_src_ip / unicast_src_ip; undefined = the socket's local address. ttlv: per-packet TTL / hop
 * limit (IP_TTL / IPV6_HOPLIMIT cmsg, overriding the socket's 255, multicast included); undefined = 255.
 * Returns 0, or -1 with a JS exception pending.
 */
static int prepare_vrrp_dest(napi_env env, sock_t *s, napi_value dstv, napi_value srcv, napi_value ttlv,
                             vrrp_dest_t *d) {
  memset(d, 0, sizeof *d);
  if (get_string(env, dstv, d->dst, sizeof d->dst, "dst") < 0) return -1;
  char srcs[INET6_ADDRSTRLEN + 1] = "";
  napi_valuetype t = napi_undefined;
  if (srcv) napi_typeof(env, srcv, &t);
  if (t == napi_string && get_string(env, srcv, srcs, sizeof srcs, "src") < 0) return -1;
  int32_t ttl = -1;
  t = napi_undefined;
  if (ttlv) napi_typeof(env, ttlv, &t);
  if (t == napi_number) {
    if (napi_get_value_int32(env, ttlv, &ttl) != napi_ok || ttl < 1 || ttl > 255) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "ttl must be 1..255");
      return -1;
    }
  }
  struct in_addr src4 = s->local4;
  struct in6_addr src6 = s->local6;
  if (srcs[0] && (s->kind == K_VRRP4 ? inet_pton(AF_INET, srcs, &src4) : inet_pton(AF_INET6, srcs, &src6)) != 1) {
    throw_errno(env, EINVAL, "inet_pton", srcs);
    return -1;
  }
  struct cmsghdr *c = (struct cmsghdr *)d->ctrl.buf;
  if (s->kind == K_VRRP4) {
    struct sockaddr_in *sin = (struct sockaddr_in *)&d->to;
    sin->sin_family = AF_INET;
    if (inet_pton(AF_INET, d->dst, &sin->sin_addr) != 1) {
      throw_errno(env, EINVAL, "inet_pton", d->dst);
      return -1;
    }
    d->tolen = sizeof *sin;
    /* Source address per packet (see open_vrrp for why the socket is not bound). */
    c->cmsg_level = IPPROTO_IP;
    c->cmsg_type = IP_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
    struct in_pktinfo pi = {.ipi_ifindex = s->ifindex, .ipi_spec_dst = src4};
    memcpy(CMSG_DATA(c), &pi, sizeof pi);
    d->controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
    if (ttl > 0) d->controllen = put_int_cmsg(d->ctrl.buf, d->controllen, IPPROTO_IP, IP_TTL, ttl);
  } else {
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&d->to;
    sin6->sin6_family = AF_INET6;
    if (inet_pton(AF_INET6, d->dst, &sin6->sin6_addr) != 1) {
      throw_errno(env, EINVAL, "inet_pton", d->dst);
      return -1;
    }
    /* Only used by the kernel for link-scope destinations (fe80::/10, ff02::/16). */
    sin6->sin6_scope_id = (uint32_t)s->ifindex;
    d->tolen = sizeof *sin6;
    /* RFC 5798 §5.1.2.1: the source is the interface's link-local address. A tentative (DAD) source
     * is refused by the kernel with EINVAL. */
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
    struct in6_pktinfo pi = {.ipi6_addr = src6, .ipi6_ifindex = (unsigned)s->ifindex};
    memcpy(CMSG_DATA(c), &pi, sizeof pi);
    d->controllen = CMSG_SPACE(sizeof(struct in6_pktinfo));
    if (ttl > 0) d->controllen = put_int_cmsg(d->ctrl.buf, d->controllen, IPPROTO_IPV6, IPV6_HOPLIMIT, ttl);
  }
  return 0;
}

int vrrp_dest_send(int fd, const vrrp_dest_t *d, const void *data, size_t len) {
  struct iovec iov = {.iov_base = (void *)data, .iov_len = len};
  struct msghdr msg = {.msg_name = (void *)&d->to,
                       .msg_namelen = d->tolen,
                       .msg_iov = &iov,
                       .msg_iovlen = 1,
                       .msg_control = (void *)d->ctrl.buf,
                       .msg_controllen = d->controllen};
  ssize_t n;
  do {
    n = sendmsg(fd, &msg, 0);
  } while (n < 0 && errno == EINTR);
  return n < 0 ? errno : 0;
}

int vrrp_socket_prepare(napi_env env, napi_value sockv, napi_value dstv, napi_value srcv, napi_value ttlv,
                        vrrp_dest_t *d) {
  sock_t *s = get_open_sock(env, sockv);
  if (!s) return -1;
  if (s->kind != K_VRRP4 && s->kind != K_VRRP6) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected a VRRP socket handle");
    return -1;
  }
  if (prepare_vrrp_dest(env, s, dstv, srcv, ttlv, d) < 0) return -1;
  int fd = dup(s->fd);
  if (fd < 0) throw_errno(env, errno, "dup", NULL);
  return fd;
}

static napi_value send_vrrp(napi_env env, sock_t *s, void *data, size_t len, napi_value dstv, napi_value srcv,
                            napi_value ttlv) {
  vrrp_dest_t d;
  if (prepare_vrrp_dest(env, s, dstv, srcv, ttlv, &d) < 0) return NULL;
  int err = vrrp_dest_send(s->fd, &d, data, len);
  if (err) throw_errno(env, err, "sendmsg", d.dst);
  return NULL;
}

static napi_value send_packet(napi_env env, sock_t *s, unsigned char *data, size_t len) {
  if (len < 14) {
    throw_errno(env, EINVAL, "sendto(AF_PACKET)", "frame shorter than an Ethernet header");
    return NULL;
  }
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_ifindex = s->ifindex, .sll_halen = ETH_ALEN};
  memcpy(&sll.sll_protocol, data + 12, 2); /* the frame's EtherType, already network order */
  memcpy(sll.sll_addr, data, ETH_ALEN);
  ssize_t n;
  do {
    n = sendto(s->fd, data, len, 0, (struct sockaddr *)&sll, sizeof sll);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw_errno(env, errno, "sendto(AF_PACKET)", NULL);
  return NULL;
}

static napi_value send_netlink(napi_env env, sock_t *s, void *data, size_t len) {
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  ssize_t n;
  do {
    n = sendto(s->fd, data, len, 0, (struct sockaddr *)&kernel, sizeof kernel);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw_errno(env, errno, "sendto(AF_NETLINK)", NULL);
  return NULL;
}

/* send(handle, buffer, dst?, src?, ttl?) */
static napi_value send_any(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sock_t *s = get_open_sock(env, argv[0]);
  if (!s) return NULL;
  void *data;
  size_t len;
  if (napi_get_buffer_info(env, argv[1], &data, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "data must be a Buffer");
    return NULL;
  }
  switch (s->kind) {
    case K_VRRP4:
    case K_VRRP6:
      if (argc < 3) {
        napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "dst is required");
        return NULL;
      }
      return send_vrrp(env, s, data, len, argv[2], argc > 3 ? argv[3] : NULL, argc > 4 ? argv[4] : NULL);
    case K_PACKET:
      return send_packet(env, s, data, len);
    default:
      return send_netlink(env, s, data, len);
  }
}

/* ---------- multicast membership ---------- */

/* membership(handle, group, join: boolean) */
static napi_value membership(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sock_t *s = get_open_sock(env, argv[0]);
  if (!s) return NULL;
  char group[INET6_ADDRSTRLEN + 1];
  if (get_string(env, argv[1], group, sizeof group, "group") < 0) return NULL;
  bool join;
  CHECK_NAPI(napi_get_value_bool(env, argv[2], &join));
  int r;
  const char *name;
  if (s->kind == K_VRRP4) {
    struct ip_mreqn m = {.imr_ifindex = s->ifindex};
    if (inet_pton(AF_INET, group, &m.imr_multiaddr) != 1) {
      throw_errno(env, EINVAL, "inet_pton", group);
      return NULL;
    }
    name = join ? "setsockopt(IP_ADD_MEMBERSHIP)" : "setsockopt(IP_DROP_MEMBERSHIP)";
    r = setsockopt(s->fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &m, sizeof m);
  } else if (s->kind == K_VRRP6) {
    struct ipv6_mreq m = {.ipv6mr_interface = (unsigned)s->ifindex};
    if (inet_pton(AF_INET6, group, &m.ipv6mr_multiaddr) != 1) {
      throw_errno(env, EINVAL, "inet_pton", group);
      return NULL;
    }
    name = join ? "setsockopt(IPV6_JOIN_GROUP)" : "setsockopt(IPV6_LEAVE_GROUP)";
    r = setsockopt(s->fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &m, sizeof m);
  } else {
    throw_errno(env, EOPNOTSUPP, "membership", "not a VRRP socket");
    return NULL;
  }
  if (r < 0) throw_errno(env, errno, name, group);
  return NULL;
}

/* ---------- close / ref ---------- */

static napi_value close_any(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sock_t *s = get_sock(env, argv[0]);
  if (s) sock_close(env, s, 0);
  return NULL;
}

/* setRef(handle, ref: boolean): whether an active receive keeps the event loop (the process) alive. */
static napi_value set_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  sock_t *s = get_sock(env, argv[0]);
  if (!s) return NULL;
  bool ref;
  CHECK_NAPI(napi_get_value_bool(env, argv[1], &ref));
  s->refed = ref;
  if (s->poll_inited && !s->closed) {
    if (ref)
      uv_ref((uv_handle_t *)&s->poll);
    else
      uv_unref((uv_handle_t *)&s->poll);
  }
  return NULL;
}

/* ---------- synchronous rtnetlink requests ---------- */

/* A blocking NETLINK_ROUTE socket for requests. The receive timeout bounds how long the event loop
 * can ever be blocked; the kernel answers rtnetlink requests in the sender's context, so in practice
 * the reply is already queued when sendto() returns. */
static int rtnl_socket(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -1;
  struct timeval tv = {.tv_sec = 2};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  /* Trimmed ACKs: the kernel would otherwise echo the whole request back in every error. */
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one);
  return fd;
}

/* openRtnl(): a persistent request socket. It lives in the network namespace it was created in,
 * which is what a LinkMonitor created inside withNetns() needs for its later re-reads. */
static napi_value open_rtnl(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = rtnl_socket();
  if (fd < 0) {
    throw_errno(env, errno, "socket(AF_NETLINK)", NULL);
    return NULL;
  }
  sock_t *s = sock_new(env, K_RTNL, fd);
  if (!s) return NULL;
  return wrap_sock(env, s);
}

/*
 * rtnlRequest(request: Buffer, handle?): Buffer — sends one rtnetlink request and returns every reply
 * message up to and including the NLMSG_DONE / NLMSG_ERROR carrying the request's sequence number.
 * This costs tens of µs, against ~15 ms for spawning `ip`, which matters on the takeover path (adding
 * VIPs). Without a handle a temporary socket is used. Replies are parsed in TS.
 */
static napi_value rtnl_request(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *req;
  size_t reqlen;
  if (napi_get_buffer_info(env, argv[0], &req, &reqlen) != napi_ok || reqlen < sizeof(struct nlmsghdr)) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "request must be a Buffer holding a netlink message");
    return NULL;
  }
  uint32_t seq = ((struct nlmsghdr *)req)->nlmsg_seq;
  int fd, own = 1;
  napi_valuetype t = napi_undefined;
  if (argc >= 2) napi_typeof(env, argv[1], &t);
  if (t == napi_external) {
    sock_t *s = get_open_sock(env, argv[1]);
    if (!s) return NULL;
    if (s->kind != K_RTNL) {
      throw_errno(env, EINVAL, "rtnlRequest", "handle is not an rtnl request socket");
      return NULL;
    }
    fd = s->fd;
    own = 0;
  } else {
    fd = rtnl_socket();
    if (fd < 0) {
      throw_errno(env, errno, "socket(AF_NETLINK)", NULL);
      return NULL;
    }
  }
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  ssize_t sent;
  do {
    sent = sendto(fd, req, reqlen, 0, (struct sockaddr *)&kernel, sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    int e = errno;
    if (own) close(fd);
    throw_errno(env, e, "sendto(AF_NETLINK)", NULL);
    return NULL;
  }
  size_t cap = 2 * RECV_BUF_SIZE, used = 0;
  unsigned char *out = malloc(cap);
  int done = 0, err = 0;
  while (out && !done) {
    if (cap - used < RECV_BUF_SIZE) {
      unsigned char *bigger = realloc(out, cap * 2);
      if (!bigger) {
        err = ENOMEM;
        break;
      }
      out = bigger;
      cap *= 2;
    }
    ssize_t n = recv(fd, out + used, RECV_BUF_SIZE, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno == EAGAIN ? ETIMEDOUT : errno;
      break;
    }
    int rem = (int)n;
    struct nlmsghdr *h = (struct nlmsghdr *)(out + used);
    used += (size_t)n;
    for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
      if (h->nlmsg_seq != seq) continue; /* a late answer to an earlier, timed-out request */
      if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR || !(h->nlmsg_flags & NLM_F_MULTI)) done = 1;
    }
  }
  if (own) close(fd);
  if (!out) err = ENOMEM;
  if (err) {
    free(out);
    throw_errno(env, err, "recv(AF_NETLINK)", NULL);
    return NULL;
  }
  napi_value result;
  void *copy;
  napi_status st = napi_create_buffer_copy(env, used, out, &copy, &result);
  free(out);
  CHECK_NAPI(st);
  return result;
}

/* ---------- network namespaces ---------- */

/*
 * withNetns(path, fn): runs fn synchronously with the calling thread in the network namespace at
 * `path` (e.g. /run/netns/NAME) and always switches back, even if fn throws. Sockets keep the
 * namespace they were created in, so the harness and the tests can open sockets in several
 * namespaces from one process. setns() is per thread: only code running inside fn is affected.
 */
static napi_value with_netns(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char path[4096];
  if (get_string(env, argv[0], path, sizeof path, "path") < 0) return NULL;
  int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (self < 0) {
    throw_errno(env, errno, "open(/proc/thread-self/ns/net)", NULL);
    return NULL;
  }
  int target = open(path, O_RDONLY | O_CLOEXEC);
  if (target < 0) {
    int e = errno;
    close(self);
    throw_errno(env, e, "open", path);
    return NULL;
  }
  if (setns(target, CLONE_NEWNET) < 0) {
    int e = errno;
    close(self);
    close(target);
    throw_errno(env, e, "setns", path);
    return NULL;
  }
  close(target);
  napi_value global, result = NULL;
  napi_get_global(env, &global);
  napi_status st = napi_call_function(env, global, argv[1], 0, NULL, &result);
  if (setns(self, CLONE_NEWNET) < 0) {
    /* Cannot happen for a namespace we were just in; continuing in the wrong one would be worse. */
    napi_fatal_error("withNetns", NAPI_AUTO_LENGTH, "setns back to the original network namespace failed",
                     NAPI_AUTO_LENGTH);
  }
  close(self);
  if (st != napi_ok) return NULL; /* the exception from fn stays pending and propagates */
  return result;
}

/* ifNameToIndex(name): number — throws ENODEV for a missing interface. */
static napi_value if_name_to_index(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char ifname[IFNAMSIZ + 1];
  if (get_string(env, argv[0], ifname, sizeof ifname, "ifname") < 0) return NULL;
  unsigned idx = if_nametoindex(ifname);
  if (idx == 0) {
    throw_errno(env, errno == ENXIO ? ENODEV : errno, "if_nametoindex", ifname);
    return NULL;
  }
  napi_value v;
  napi_create_uint32(env, idx, &v);
  return v;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"openVrrp", NULL, open_vrrp, NULL, NULL, NULL, napi_enumerable, NULL},
      {"openPacket", NULL, open_packet, NULL, NULL, NULL, napi_enumerable, NULL},
      {"openNetlink", NULL, open_netlink, NULL, NULL, NULL, napi_enumerable, NULL},
      {"startReceive", NULL, start_receive, NULL, NULL, NULL, napi_enumerable, NULL},
      {"drainPending", NULL, drain_pending, NULL, NULL, NULL, napi_enumerable, NULL},
      {"send", NULL, send_any, NULL, NULL, NULL, napi_enumerable, NULL},
      {"membership", NULL, membership, NULL, NULL, NULL, napi_enumerable, NULL},
      {"close", NULL, close_any, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setRef", NULL, set_ref, NULL, NULL, NULL, napi_enumerable, NULL},
      {"openRtnl", NULL, open_rtnl, NULL, NULL, NULL, napi_enumerable, NULL},
      {"rtnlRequest", NULL, rtnl_request, NULL, NULL, NULL, napi_enumerable, NULL},
      {"withNetns", NULL, with_netns, NULL, NULL, NULL, napi_enumerable, NULL},
      {"ifNameToIndex", NULL, if_name_to_index, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  register_timerfd(env, exports);
  register_sched(env, exports);
  register_advert_ticker(env, exports);
  register_advert_watch(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
