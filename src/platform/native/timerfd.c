/*
 * One-shot timers on absolute CLOCK_MONOTONIC deadlines in microseconds, fired from the libuv loop.
 *
 * libuv's own timers run on a millisecond clock: a deadline with a sub-millisecond part either fires up
 * to ~1 ms early or must be finished by spinning the loop. A timerfd armed with TFD_TIMER_ABSTIME on
 * CLOCK_MONOTONIC (the clock behind process.hrtime()) becomes readable at the deadline itself; watching
 * it with uv_poll wakes epoll_wait then, and the loop sleeps until then.
 *
 * The handle, its poll and its lifetime are loop_timer.c's.
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

static void on_expired(loop_timer_t *t) {
  napi_handle_scope scope;
  napi_open_handle_scope(t->env, &scope);
  loop_timer_call(t, 0, NULL);
  napi_close_handle_scope(t->env, scope);
}

/* timerOpen(cb): handle. Not armed, and not keeping the loop alive until timerSetRef(handle, true). */
static napi_value timer_open(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1] = {NULL};
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  return loop_timer_open(env, argv[0], sizeof(loop_timer_t), "DeadlineTimer", on_expired, NULL, NULL);
}

static int set_time(napi_env env, loop_timer_t *t, int64_t deadline_us) {
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
  loop_timer_t *t = loop_timer_get(env, argv[0], "timer");
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
  loop_timer_t *t = loop_timer_get(env, argv[0], "timer");
  if (t) set_time(env, t, -1);
  return NULL;
}

/* timerSetRef(handle, ref): whether the timer keeps the event loop (the process) alive. */
static napi_value timer_set_ref(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  bool ref = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  loop_timer_t *t = loop_timer_get(env, argv[0], "timer");
  if (!t) return NULL;
  napi_get_value_bool(env, argv[1], &ref);
  loop_timer_set_ref(t, ref);
  return NULL;
}

/* timerClose(handle): safe to call twice. */
static napi_value timer_close_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok) loop_timer_close(env, argv[0]);
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
