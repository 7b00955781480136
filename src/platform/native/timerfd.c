/*
 * One-shot timers on absolute CLOCK_MONOTONIC deadlines in microseconds, fired from the libuv loop.
 *
 * libuv's own timers run on a millisecond clock: a deadline with a sub-millisecond part either fires up
 * to ~1 ms early or must be finished by spinning the loop. A timerfd armed with TFD_TIMER_ABSTIME on
 * CLOCK_MONOTONIC (the clock behind process.hrtime()) becomes readable at the deadline itself; watching
 * it with uv_poll wakes epoll_wait then, and the loop sleeps until then.
 *
 * Handle lifetime as in vrrp_socket.c: a napi external; the uv_poll handle is closed before the memory
 * is freed, whichever of close() and the finalizer comes last.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "extras.h"

typedef struct {
  napi_env env;
  int fd;
  uv_poll_t poll;
  int poll_closed;
  int finalized;
  int closed;
  napi_ref cb;
  napi_async_context actx;
} dtimer_t;

static void on_closed(uv_handle_t *h) {
  dtimer_t *t = h->data;
  t->poll_closed = 1;
  if (t->finalized) free(t);
}

static void timer_close(napi_env env, dtimer_t *t, int from_finalizer) {
  if (t->closed) return;
  t->closed = 1;
  uv_close((uv_handle_t *)&t->poll, on_closed);
  close(t->fd);
  t->fd = -1;
  if (!from_finalizer) {
    napi_delete_reference(env, t->cb);
    napi_async_destroy(env, t->actx);
  }
}

static void timer_finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  dtimer_t *t = data;
  t->finalized = 1;
  timer_close(env, t, 1);
  if (t->poll_closed) free(t);
}

static void on_expired(uv_poll_t *h, int status, int events) {
  (void)events;
  dtimer_t *t = h->data;
  if (t->closed) return;
  uint64_t expirations;
  /* EAGAIN: re-armed (which clears the expiration) between epoll_wait and this callback. */
  if (status < 0 || read(t->fd, &expirations, sizeof expirations) != sizeof expirations) return;
  napi_env env = t->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value cb, recv;
  napi_get_reference_value(env, t->cb, &cb);
  napi_get_global(env, &recv); /* make_callback needs an object as `this` */
  extras_call_from_loop(env, t->actx, recv, cb, 0, NULL);
  napi_close_handle_scope(env, scope);
}

static dtimer_t *get_timer(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "not a timer handle");
    return NULL;
  }
  dtimer_t *t = p;
  if (t->closed) {
    extras_throw_errno(env, EBADF, "timer");
    return NULL;
  }
  return t;
}

/* timerOpen(cb): handle. Not armed, and not keeping the loop alive until timerSetRef(handle, true). */
static napi_value timer_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], ext, name;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  napi_valuetype type;
  napi_typeof(env, argv[0], &type);
  if (argc < 1 || type != napi_function) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "callback must be a function");
    return NULL;
  }
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return NULL;
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd < 0) {
    extras_throw_errno(env, errno, "timerfd_create");
    return NULL;
  }
  dtimer_t *t = calloc(1, sizeof *t);
  if (!t) {
    close(fd);
    extras_throw_errno(env, ENOMEM, "calloc");
    return NULL;
  }
  t->env = env;
  t->fd = fd;
  int r = uv_poll_init(loop, &t->poll, fd);
  if (r < 0) {
    close(fd);
    free(t);
    extras_throw_errno(env, -r, "uv_poll_init");
    return NULL;
  }
  t->poll.data = t;
  uv_unref((uv_handle_t *)&t->poll);
  napi_create_string_utf8(env, "DeadlineTimer", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &t->actx);
  napi_create_reference(env, argv[0], 1, &t->cb);
  r = uv_poll_start(&t->poll, UV_READABLE, on_expired);
  if (r < 0 || napi_create_external(env, t, timer_finalize, NULL, &ext) != napi_ok) {
    timer_close(env, t, 0);
    t->finalized = 1; /* never wrapped: on_closed frees it */
    if (r < 0) extras_throw_errno(env, -r, "uv_poll_start");
    return NULL;
  }
  return ext;
}

static int set_time(napi_env env, dtimer_t *t, int64_t deadline_us) {
  if (extras_timerfd_arm(t->fd, deadline_us) < 0) {
    extras_throw_errno(env, errno, "timerfd_settime");
    return -1;
  }
  return 0;
}

/* timerArm(handle, deadlineUs): fire once when CLOCK_MONOTONIC reaches deadlineUs (replaces any earlier arm). */
static napi_value timer_arm(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  dtimer_t *t = get_timer(env, argv[0]);
  if (!t) return NULL;
  double us;
  if (argc < 2 || napi_get_value_double(env, argv[1], &us) != napi_ok || !(us >= 0)) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "deadlineUs must be a number >= 0");
    return NULL;
  }
  set_time(env, t, (int64_t)us);
  return NULL;
}

/* timerDisarm(handle) */
static napi_value timer_disarm(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  dtimer_t *t = get_timer(env, argv[0]);
  if (t) set_time(env, t, -1);
  return NULL;
}

/* timerSetRef(handle, ref): whether the timer keeps the event loop (the process) alive. */
static napi_value timer_set_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  bool ref = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  dtimer_t *t = get_timer(env, argv[0]);
  if (!t) return NULL;
  napi_get_value_bool(env, argv[1], &ref);
  if (ref)
    uv_ref((uv_handle_t *)&t->poll);
  else
    uv_unref((uv_handle_t *)&t->poll);
  return NULL;
}

/* timerClose(handle): safe to call twice. */
static napi_value timer_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *p = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (napi_get_value_external(env, argv[0], &p) == napi_ok && p) timer_close(env, p, 0);
  return NULL;
}

void register_timerfd(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"timerOpen", NULL, timer_open, NULL, NULL, NULL, napi_enumerable, NULL},
      {"timerArm", NULL, timer_arm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"timerDisarm", NULL, timer_disarm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"timerSetRef", NULL, timer_set_ref, NULL, NULL, NULL, napi_enumerable, NULL},
      {"timerClose", NULL, timer_close_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
