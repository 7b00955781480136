/*
 * A Backup's Master_Down timer restarted from the libuv loop for each repeat of the Master's advert, without
 * entering JavaScript.
 *
 * A Backup in its steady state hears the same advert from the same Master every Master_Adver_Interval, and
 * all RFC 5798 §6.4.2 does with it is restart Master_Down_Timer. Decoding, validating and stepping the state
 * machine in JS for each one costs a libuv-to-JS call, a Buffer and a step: 255 Backups at 0.1 s spent 6-9 x
 * keepalived's CPU on it (docs/design.md, Timers). So once JS has accepted an advert, and an identical one
 * would again only restart the timer, the runtime hands the timer here with the packet as a key: the
 * socket's receive path (vrrp_socket.c) gives every datagram to advert_watch_absorb() first, and a datagram
 * equal to the key (same source, destination, TTL/hop limit, interface and VRRP bytes) restarts the timer
 * from its arrival and is counted; anything else goes to JS as before, which takes the timer back.
 *
 * At expiry the socket is drained first: after a stalled loop, a repeat that arrived before the deadline is
 * still in the queue and must restart the timer before Master_Down is declared. Only then is JS called.
 *
 * The timer, its handle and its lifetime are loop_timer.c's. A watch is linked into its socket's per-VRID
 * list while running; closing the socket unlinks it (the timer keeps running, nothing is absorbed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "extras.h"

/* Longest advert kept as a key: 255 IPv6 addresses would not fit a link MTU anyway. */
#define MAX_KEY_PAYLOAD 1500

struct advert_watch {
  loop_timer_t base; /* its callback: onExpired(atUs) */
  int running;
  vrrp_rx_sock_t *sock; /* the socket it is linked into, NULL when not linked */
  advert_watch_t *next;
  vrrp_rx_meta_t key;
  unsigned char *payload;
  size_t len;
  int64_t deadline_us;
  int64_t interval_us;
  int64_t last_us;
  double absorbed;
};

static void unlink_watch(advert_watch_t *w) {
  if (!w->sock) return;
  advert_watch_t **pp = vrrp_rx_watch_slot(w->sock, w->payload[1]);
  while (pp && *pp && *pp != w) pp = &(*pp)->next;
  if (pp && *pp == w) *pp = w->next;
  w->next = NULL;
  w->sock = NULL;
}

static void stop(advert_watch_t *w) {
  unlink_watch(w);
  w->running = 0;
  extras_timerfd_arm(w->base.fd, -1);
  loop_timer_set_ref(&w->base, 0);
}

static void release(loop_timer_t *base) {
  advert_watch_t *w = (advert_watch_t *)base;
  stop(w);
  free(w->payload);
  w->payload = NULL;
}

int advert_watch_absorb(advert_watch_t *list, const vrrp_rx_meta_t *m, const unsigned char *payload, size_t len) {
  for (advert_watch_t *w = list; w; w = w->next) {
    if (w->len != len || w->key.ifindex != m->ifindex || w->key.ttl != m->ttl || w->key.family != m->family) continue;
    if (memcmp(w->key.src, m->src, 16) != 0 || memcmp(w->key.dst, m->dst, 16) != 0) continue;
    if (memcmp(w->payload, payload, len) != 0) continue;
    w->absorbed++;
    w->last_us = m->at_us;
    w->deadline_us = m->at_us + w->interval_us;
    extras_timerfd_arm(w->base.fd, w->deadline_us);
    return 1;
  }
  return 0;
}

void advert_watch_unlink_all(advert_watch_t *list) {
  while (list) {
    advert_watch_t *next = list->next;
    list->next = NULL;
    list->sock = NULL;
    list = next;
  }
}

static void on_expired(loop_timer_t *base) {
  advert_watch_t *w = (advert_watch_t *)base;
  if (!w->running) return;
  /* Repeats already queued restart the timer; other datagrams go to JS, which may stop this watch. */
  if (w->sock) vrrp_rx_drain(w->sock);
  if (w->base.closed || !w->running) return;
  int64_t now = extras_monotonic_us();
  if (now < w->deadline_us) return; /* absorbed a repeat: re-armed */
  unlink_watch(w);
  w->running = 0;
  loop_timer_set_ref(&w->base, 0);
  napi_env env = w->base.env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value argv[1];
  napi_create_int64(env, now, &argv[0]);
  loop_timer_call(&w->base, 1, argv);
  napi_close_handle_scope(env, scope);
}

static advert_watch_t *get_watch(napi_env env, napi_value v) {
  return (advert_watch_t *)loop_timer_get(env, v, "advert watch");
}

/* watchOpen(onExpired(atUs)): handle, stopped. */
static napi_value watch_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  return loop_timer_open(env, argv[0], sizeof(advert_watch_t), "AdvertWatch", on_expired, release, NULL);
}

/*
 * watchStart(handle, socket, data, src, dst, ttl, ifindex, deadlineUs, intervalUs): restarts the timer for
 * every repeat of this packet (as the socket delivered it: data, src, dst, ttl, ifindex) from deadlineUs on.
 */
static napi_value watch_start(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  advert_watch_t *w = argc == 9 ? get_watch(env, argv[0]) : NULL;
  if (!w) {
    if (argc != 9) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "watchStart takes 9 arguments");
    return NULL;
  }
  vrrp_rx_sock_t *sock = vrrp_rx_sock(env, argv[1]);
  if (!sock) return NULL;
  vrrp_rx_meta_t key;
  memset(&key, 0, sizeof key);
  key.family = vrrp_rx_family(sock);
  void *data;
  size_t size;
  int32_t ttl, ifindex;
  double deadline, interval;
  if (vrrp_rx_address(env, sock, argv[3], "src", key.src) < 0 || vrrp_rx_address(env, sock, argv[4], "dst", key.dst) < 0)
    return NULL;
  if (napi_get_buffer_info(env, argv[2], &data, &size) != napi_ok || napi_get_value_int32(env, argv[5], &ttl) != napi_ok ||
      napi_get_value_int32(env, argv[6], &ifindex) != napi_ok ||
      napi_get_value_double(env, argv[7], &deadline) != napi_ok || !(deadline >= 0) ||
      napi_get_value_double(env, argv[8], &interval) != napi_ok || !(interval >= 1000)) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "watchStart(handle, socket, Buffer, src, dst, ttl, ifindex, deadlineUs >= 0, intervalUs >= 1000)");
    return NULL;
  }
  key.ttl = ttl;
  key.ifindex = ifindex;
  /* IPv4 sockets deliver the IP header: the key is the VRRP payload after it, as the receive path compares. */
  const unsigned char *payload = data;
  if (key.family == 4) {
    size_t ihl = size >= 20 ? (size_t)(payload[0] & 0x0f) * 4 : 0;
    if (ihl < 20 || ihl >= size) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "not an IPv4 packet");
      return NULL;
    }
    payload += ihl;
    size -= ihl;
  }
  if (size < 8 || size > MAX_KEY_PAYLOAD) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "advert must be 8..1500 bytes");
    return NULL;
  }
  unsigned char *copy = malloc(size);
  if (!copy) {
    extras_throw_errno(env, ENOMEM, "malloc");
    return NULL;
  }
  memcpy(copy, payload, size);
  stop(w);
  free(w->payload);
  w->payload = copy;
  w->len = size;
  w->key = key;
  w->deadline_us = (int64_t)deadline;
  w->interval_us = (int64_t)interval;
  w->last_us = 0;
  w->absorbed = 0;
  advert_watch_t **slot = vrrp_rx_watch_slot(sock, copy[1]);
  if (slot) {
    w->next = *slot;
    *slot = w;
    w->sock = sock;
  }
  w->running = 1;
  loop_timer_set_ref(&w->base, 1);
  extras_timerfd_arm(w->base.fd, w->deadline_us);
  return NULL;
}

/* [repeats absorbed since start, arrival µs of the last one (0: none), deadline µs or -1 when stopped] */
static napi_value info_of(napi_env env, advert_watch_t *w) {
  napi_value out, v;
  napi_create_array_with_length(env, 3, &out);
  napi_create_double(env, w->absorbed, &v);
  napi_set_element(env, out, 0, v);
  napi_create_double(env, (double)w->last_us, &v);
  napi_set_element(env, out, 1, v);
  napi_create_double(env, w->running ? (double)w->deadline_us : -1, &v);
  napi_set_element(env, out, 2, v);
  return out;
}

/* The info of the watch in argv[0]; stopped afterwards (safe when stopped) when `stopping`. */
static napi_value report(napi_env env, napi_callback_info info, int stopping) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  advert_watch_t *w = get_watch(env, argv[0]);
  if (!w) return NULL;
  napi_value out = info_of(env, w);
  if (stopping) stop(w);
  return out;
}

/* watchStop(handle): stops and returns its info as it was. watchInfo(handle): the same, without stopping. */
static napi_value watch_stop(napi_env env, napi_callback_info info) { return report(env, info, 1); }
static napi_value watch_info(napi_env env, napi_callback_info info) { return report(env, info, 0); }

/* watchClose(handle): safe to call twice. */
static napi_value watch_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok) loop_timer_close(env, argv[0]);
  return NULL;
}

void register_advert_watch(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"watchOpen", NULL, watch_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchStart", NULL, watch_start, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchStop", NULL, watch_stop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchInfo", NULL, watch_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"watchClose", NULL, watch_close_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
