/*
 * The Master's periodic adverts, sent from the libuv loop without entering JavaScript.
 *
 * A Master in its steady state sends the same bytes every Advertisement_Interval; only events (a priority
 * change, an advert received, a fault) change what it sends or whether it sends. Waking the JS state machine
 * for each advert costs a libuv-to-JS callback, a step and a send: at 1 cs that alone is several times the
 * CPU keepalived spends (docs/design.md, Timers). So the runtime hands the periodic part here: a timerfd on
 * absolute CLOCK_MONOTONIC deadlines, and the encoded adverts with their prepared destinations. Each expiry
 * sends them and re-arms for the next period; JS is entered only to report a send error.
 *
 * Schedule as the JS timer it replaces (core/timer-math.ts nextPeriodicDeadlineUs): the next deadline is the
 * previous one plus the period, so a late wake does not stretch the period; if even that is past (the process
 * was stopped), it restarts from now instead of bursting to catch up.
 *
 * The socket is dup()ed while the ticker runs, so a socket closed by JS meanwhile can never turn into another
 * file under the same number. The timer, its handle and its lifetime are loop_timer.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "extras.h"

/* A Master sends to the group, or to each unicast peer: more than this many peers is refused by JS first. */
#define MAX_PACKETS 64

typedef struct {
  vrrp_dest_t dest;
  unsigned char *data;
  size_t len;
} packet_t;

typedef struct {
  loop_timer_t base; /* its callback: onError(err) */
  int sfd;           /* dup of the VRRP socket while running, else -1 */
  packet_t *packets; /* npackets of them, allocated to size (255 instances are 255 tickers) */
  size_t npackets;
  int64_t next_us;
  int64_t period_us;
  double sent;
} ticker_t;

static void free_packets(ticker_t *t) {
  for (size_t i = 0; i < t->npackets; i++) free(t->packets[i].data);
  free(t->packets);
  t->packets = NULL;
  t->npackets = 0;
}

static void stop(ticker_t *t) {
  if (t->sfd >= 0) close(t->sfd);
  t->sfd = -1;
  extras_timerfd_arm(t->base.fd, -1);
  loop_timer_set_ref(&t->base, 0);
  free_packets(t);
}

static void release(loop_timer_t *base) { stop((ticker_t *)base); }

static void report_error(ticker_t *t, int err, const char *dst) {
  napi_env env = t->base.env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value argv[1] = {extras_errno_error(env, err, "sendmsg", dst)};
  loop_timer_call(&t->base, 1, argv);
  napi_close_handle_scope(env, scope);
}

static void on_expired(loop_timer_t *base) {
  ticker_t *t = (ticker_t *)base;
  if (t->sfd < 0) return;
  int err = 0;
  const char *failed_dst = NULL;
  for (size_t i = 0; i < t->npackets; i++) {
    packet_t *p = &t->packets[i];
    int e = vrrp_dest_send(t->sfd, &p->dest, p->data, p->len);
    if (e && !err) {
      err = e;
      failed_dst = p->dest.dst;
    }
  }
  t->sent++;
  int64_t now = extras_monotonic_us();
  t->next_us += t->period_us;
  if (t->next_us <= now) t->next_us = now + t->period_us;
  extras_timerfd_arm(t->base.fd, t->next_us);
  /* After re-arming: the JS error handler may stop or restart the ticker. */
  if (err) report_error(t, err, failed_dst);
}

static ticker_t *get_ticker(napi_env env, napi_value v) { return (ticker_t *)loop_timer_get(env, v, "ticker"); }

/* tickerOpen(onError(err)): handle, stopped. */
static napi_value ticker_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  loop_timer_t *t = NULL;
  napi_value h = loop_timer_open(env, argv[0], sizeof(ticker_t), "AdvertTicker", on_expired, release, &t);
  if (t) ((ticker_t *)t)->sfd = -1;
  return h;
}

/*
 * Replaces the packets from argv: a VRRP socket handle and an array of [buffer, dst, src?, ttl?]. Everything
 * is validated and copied before anything of the running ticker changes; -1 with an exception pending.
 */
static int set_packets(napi_env env, ticker_t *t, napi_value sockv, napi_value list) {
  bool is_array = false;
  uint32_t n = 0;
  napi_is_array(env, list, &is_array);
  if (!is_array || napi_get_array_length(env, list, &n) != napi_ok || n == 0 || n > MAX_PACKETS) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "packets must be an array of 1..64 [buffer, dst, src?, ttl?]");
    return -1;
  }
  packet_t *next = calloc(n, sizeof *next);
  if (!next) {
    extras_throw_errno(env, ENOMEM, "calloc");
    return -1;
  }
  int fd = -1;
  uint32_t done = 0;
  for (; done < n; done++) {
    napi_value item, buf, dst, src = NULL, ttl = NULL;
    uint32_t len = 0;
    napi_get_element(env, list, done, &item);
    if (napi_get_array_length(env, item, &len) != napi_ok || len < 2) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "each packet is [buffer, dst, src?, ttl?]");
      break;
    }
    napi_get_element(env, item, 0, &buf);
    napi_get_element(env, item, 1, &dst);
    if (len > 2) napi_get_element(env, item, 2, &src);
    if (len > 3) napi_get_element(env, item, 3, &ttl);
    void *data;
    size_t size;
    if (napi_get_buffer_info(env, buf, &data, &size) != napi_ok || size == 0) {
      napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "packet data must be a non-empty Buffer");
      break;
    }
    int pfd = vrrp_socket_prepare(env, sockv, dst, src, ttl, &next[done].dest);
    if (pfd < 0) break;
    if (fd < 0)
      fd = pfd;
    else
      close(pfd);
    next[done].data = malloc(size);
    if (!next[done].data) {
      extras_throw_errno(env, ENOMEM, "malloc");
      break;
    }
    memcpy(next[done].data, data, size);
    next[done].len = size;
  }
  if (done < n) {
    for (uint32_t i = 0; i < done; i++) free(next[i].data);
    free(next);
    if (fd >= 0) close(fd);
    return -1;
  }
  free_packets(t);
  t->packets = next;
  t->npackets = n;
  if (t->sfd >= 0) close(t->sfd);
  t->sfd = fd;
  return 0;
}

/* tickerStart(handle, socket, packets, firstDeadlineUs, periodUs): (re)starts sending from firstDeadlineUs. */
static napi_value ticker_start(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  ticker_t *t = argc == 5 ? get_ticker(env, argv[0]) : NULL;
  if (!t) {
    if (argc != 5) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "tickerStart takes 5 arguments");
    return NULL;
  }
  double first, period;
  if (napi_get_value_double(env, argv[3], &first) != napi_ok || !(first >= 0) ||
      napi_get_value_double(env, argv[4], &period) != napi_ok || !(period >= 1000)) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "firstDeadlineUs must be >= 0 and periodUs >= 1000");
    return NULL;
  }
  if (set_packets(env, t, argv[1], argv[2]) < 0) return NULL;
  t->next_us = (int64_t)first;
  t->period_us = (int64_t)period;
  loop_timer_set_ref(&t->base, 1);
  extras_timerfd_arm(t->base.fd, t->next_us);
  return NULL;
}

/* tickerUpdate(handle, socket, packets): new packets from the next advert on; the schedule is kept. */
static napi_value ticker_update(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  ticker_t *t = argc == 3 ? get_ticker(env, argv[0]) : NULL;
  if (!t) {
    if (argc != 3) napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "tickerUpdate takes 3 arguments");
    return NULL;
  }
  if (t->sfd < 0) {
    extras_throw_errno(env, EINVAL, "tickerUpdate (not running)");
    return NULL;
  }
  set_packets(env, t, argv[1], argv[2]);
  return NULL;
}

/* tickerStop(handle): no more adverts; safe when stopped. */
static napi_value ticker_stop(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  ticker_t *t = get_ticker(env, argv[0]);
  if (t) stop(t);
  return NULL;
}

/* tickerInfo(handle): [adverts sent since open, next deadline µs or -1 when stopped]. */
static napi_value ticker_info(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], out, v;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  ticker_t *t = get_ticker(env, argv[0]);
  if (!t) return NULL;
  napi_create_array_with_length(env, 2, &out);
  napi_create_double(env, t->sent, &v);
  napi_set_element(env, out, 0, v);
  napi_create_double(env, t->sfd >= 0 ? (double)t->next_us : -1, &v);
  napi_set_element(env, out, 1, v);
  return out;
}

/* tickerClose(handle): safe to call twice. */
static napi_value ticker_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok) loop_timer_close(env, argv[0]);
  return NULL;
}

void register_advert_ticker(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"tickerOpen", NULL, ticker_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tickerStart", NULL, ticker_start, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tickerUpdate", NULL, ticker_update, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tickerStop", NULL, ticker_stop, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tickerInfo", NULL, ticker_info, NULL, NULL, NULL, napi_enumerable, NULL},
      {"tickerClose", NULL, ticker_close_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
