/* Native modules of the addon beyond the sockets of vrrp_socket.c; each adds its functions to exports. */
#ifndef VRRP_ADDON_EXTRAS_H
#define VRRP_ADDON_EXTRAS_H
#include <arpa/inet.h>
#include <netinet/in.h>
#include <node_api.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <uv.h>

/* An Error whose code is the errno name (EPERM, ...), with errno and syscall set, as every addon function throws. */
static inline napi_value extras_errno_error(napi_env env, int err, const char *syscall, const char *detail) {
  const char *name = strerrorname_np(err);
  if (!name) name = "EUNKNOWN";
  char msg[512];
  snprintf(msg, sizeof msg, "%s %s (%s)%s%.300s", syscall, name, strerror(err), detail ? ": " : "", detail ? detail : "");
  napi_value m, e, v;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
  napi_create_error(env, NULL, m, &e);
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, e, "code", v);
  napi_create_int32(env, err, &v);
  napi_set_named_property(env, e, "errno", v);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, e, "syscall", v);
  return e;
}

static inline void extras_throw_errno(napi_env env, int err, const char *syscall) {
  napi_throw(env, extras_errno_error(env, err, syscall, NULL));
}

/* CLOCK_MONOTONIC in µs: the clock of process.hrtime() and of every deadline the runtime hands the addon. */
static inline int64_t extras_monotonic_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Arms timerfd `fd` for the absolute CLOCK_MONOTONIC deadline at_us, or disarms it (at_us < 0); 0 or -1/errno. */
static inline int extras_timerfd_arm(int fd, int64_t at_us) {
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  if (at_us >= 0) {
    its.it_value.tv_sec = at_us / 1000000;
    its.it_value.tv_nsec = (at_us % 1000000) * 1000;
    /* A zero it_value disarms: a deadline at 0 (long past) becomes 1 ns, which fires at once. */
    if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) its.it_value.tv_nsec = 1;
  }
  return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
}

/*
 * Calls a JS callback from a libuv callback: napi_make_callback gives it its async context and the microtask
 * checkpoint; a throwing callback surfaces as 'uncaughtException', as it would for a core handle.
 */
static inline void extras_call_from_loop(napi_env env, napi_async_context actx, napi_value recv, napi_value cb,
                                         size_t argc, napi_value *argv) {
  napi_value result;
  if (napi_make_callback(env, actx, recv, cb, argc, argv, &result) == napi_pending_exception) {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_fatal_exception(env, exc);
  }
}

/* Where one VRRP datagram goes and its control messages (source address, TTL), built once, sent many times. */
typedef struct {
  struct sockaddr_storage to;
  socklen_t tolen;
  union {
    char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } ctrl;
  size_t controllen;
  char dst[INET6_ADDRSTRLEN + 1];
} vrrp_dest_t;

/*
 * vrrp_socket.c: fills `d` for a send on the VRRP socket handle `sockv` (arguments as its send()), and returns
 * a dup() of the socket's fd, which the caller owns; -1 with a JS exception pending on bad arguments.
 */
int vrrp_socket_prepare(napi_env env, napi_value sockv, napi_value dstv, napi_value srcv, napi_value ttlv,
                        vrrp_dest_t *d);
/* One sendmsg() of a prepared datagram; 0 or the errno. */
int vrrp_dest_send(int fd, const vrrp_dest_t *d, const void *data, size_t len);

/* What the receive path knows of one VRRP datagram besides its bytes. Addresses: 16 bytes, IPv4 in the first 4. */
typedef struct {
  int family; /* 4 or 6 */
  unsigned char src[16];
  unsigned char dst[16];
  int ttl; /* IPv4 TTL, IPv6 hop limit */
  int ifindex;
  int64_t at_us; /* CLOCK_MONOTONIC at recvmsg */
} vrrp_rx_meta_t;

typedef struct advert_watch advert_watch_t;
typedef struct vrrp_rx_sock vrrp_rx_sock_t;

/* vrrp_socket.c, for advert_watch.c: the VRRP socket of a handle (NULL with a JS exception pending), its
 * family, an address string of that family as the receive path stores it (16 bytes; -1 with EINVAL pending),
 * the head of its watch list for a VRID (NULL when it cannot hold one), and a drain of its queue (repeats
 * absorbed, the rest delivered to its JS callback). */
vrrp_rx_sock_t *vrrp_rx_sock(napi_env env, napi_value sockv);
int vrrp_rx_family(vrrp_rx_sock_t *s);
int vrrp_rx_address(napi_env env, vrrp_rx_sock_t *s, napi_value v, const char *what, unsigned char out[16]);
advert_watch_t **vrrp_rx_watch_slot(vrrp_rx_sock_t *s, unsigned vrid);
void vrrp_rx_drain(vrrp_rx_sock_t *s);

/* advert_watch.c, for vrrp_socket.c: 1 when a watch of `list` took the datagram (its VRRP bytes: payload),
 * which then never reaches JS; and the unlinking of a closing socket's watches. */
int advert_watch_absorb(advert_watch_t *list, const vrrp_rx_meta_t *m, const unsigned char *payload, size_t len);
void advert_watch_unlink_all(advert_watch_t *list);

/* advert_watch.c: watchOpen, watchStart, watchStop, watchInfo, watchClose. */
void register_advert_watch(napi_env env, napi_value exports);

/*
 * loop_timer.c: a timerfd watched by the libuv loop, with a JS callback, in a napi external. A module that
 * uses one begins its own struct with it and passes the struct's size to loop_timer_open.
 */
typedef struct loop_timer loop_timer_t;
struct loop_timer {
  napi_env env;
  int fd;
  uv_poll_t poll;
  int poll_closed;
  int finalized;
  int closed;
  napi_ref cb;
  napi_async_context actx;
  void (*fired)(loop_timer_t *t);   /* the timer expired (its expiration count was read) */
  void (*release)(loop_timer_t *t); /* at close or finalization: release what the embedding struct holds */
};
/* The handle (not armed, not keeping the loop alive) of a zeroed allocation of `size` bytes, which *out gets
 * (when out is not NULL); NULL with a JS exception pending when cb is not a function or a syscall fails. */
napi_value loop_timer_open(napi_env env, napi_value cb, size_t size, const char *name, void (*fired)(loop_timer_t *),
                           void (*release)(loop_timer_t *), loop_timer_t **out);
/* The timer behind a handle; NULL with a TypeError (not a handle) or EBADF (closed) pending. */
loop_timer_t *loop_timer_get(napi_env env, napi_value v, const char *what);
/* close(handle) from JS: safe twice. */
void loop_timer_close(napi_env env, napi_value v);
/* Calls the JS callback (inside the caller's handle scope). */
void loop_timer_call(loop_timer_t *t, size_t argc, napi_value *argv);
void loop_timer_set_ref(loop_timer_t *t, int ref);

/* timerfd.c: timerOpen, timerArm, timerDisarm, timerSetRef, timerClose. */
void register_timerfd(napi_env env, napi_value exports);

/* sched.c: setRealtime, setRlimitRttime, lockMemory, setCpuAffinity. */
void register_sched(napi_env env, napi_value exports);

/* advert_ticker.c: tickerOpen, tickerStart, tickerUpdate, tickerStop, tickerInfo, tickerClose. */
void register_advert_ticker(napi_env env, napi_value exports);

#endif
