/*
 * A timerfd watched by the libuv loop, with a JS callback, wrapped in a napi external: what the deadline
 * timer (timerfd.c), the Master's advert ticker (advert_ticker.c) and the Backup's advert watch
 * (advert_watch.c) have in common.
 *
 * Handle lifetime: the uv_poll handle is closed before the memory is freed, whichever of close() and the
 * finalizer comes last, so a GC during a JS callback never frees memory a libuv callback still uses.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <uv.h>

#include "extras.h"

static void on_closed(uv_handle_t *h) {
  loop_timer_t *t = h->data;
  t->poll_closed = 1;
  if (t->finalized) free(t);
}

static void close_timer(napi_env env, loop_timer_t *t, int from_finalizer) {
  if (t->closed) return;
  if (t->release) t->release(t);
  t->closed = 1;
  uv_close((uv_handle_t *)&t->poll, on_closed);
  close(t->fd);
  t->fd = -1;
  if (!from_finalizer) {
    napi_delete_reference(env, t->cb);
    napi_async_destroy(env, t->actx);
  }
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)hint;
  loop_timer_t *t = data;
  t->finalized = 1;
  close_timer(env, t, 1);
  if (t->poll_closed) free(t);
}

static void on_readable(uv_poll_t *h, int status, int events) {
  (void)events;
  loop_timer_t *t = h->data;
  uint64_t expirations;
  /* EAGAIN: re-armed or disarmed (which clears the expiration) between epoll_wait and this callback. */
  if (t->closed || status < 0 || read(t->fd, &expirations, sizeof expirations) != sizeof expirations) return;
  t->fired(t);
}

napi_value loop_timer_open(napi_env env, napi_value cb, size_t size, const char *name, void (*fired)(loop_timer_t *),
                           void (*release)(loop_timer_t *), loop_timer_t **out) {
  napi_valuetype type = napi_undefined;
  if (cb) napi_typeof(env, cb, &type);
  if (type != napi_function) {
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
  loop_timer_t *t = calloc(1, size);
  if (!t) {
    close(fd);
    extras_throw_errno(env, ENOMEM, "calloc");
    return NULL;
  }
  t->env = env;
  t->fd = fd;
  t->fired = fired;
  t->release = release;
  int r = uv_poll_init(loop, &t->poll, fd);
  if (r < 0) {
    close(fd);
    free(t);
    extras_throw_errno(env, -r, "uv_poll_init");
    return NULL;
  }
  t->poll.data = t;
  uv_unref((uv_handle_t *)&t->poll);
  napi_value ext, label;
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &label);
  napi_async_init(env, NULL, label, &t->actx);
  napi_create_reference(env, cb, 1, &t->cb);
  r = uv_poll_start(&t->poll, UV_READABLE, on_readable);
  if (r < 0 || napi_create_external(env, t, finalize, NULL, &ext) != napi_ok) {
    t->release = NULL; /* nothing of the embedding struct exists yet */
    close_timer(env, t, 0);
    t->finalized = 1; /* never wrapped: on_closed frees it */
    if (r < 0) extras_throw_errno(env, -r, "uv_poll_start");
    return NULL;
  }
  if (out) *out = t;
  return ext;
}

loop_timer_t *loop_timer_get(napi_env env, napi_value v, const char *what) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || !p) {
    char msg[64];
    snprintf(msg, sizeof msg, "not a %s handle", what);
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
    return NULL;
  }
  loop_timer_t *t = p;
  if (t->closed) {
    extras_throw_errno(env, EBADF, what);
    return NULL;
  }
  return t;
}

void loop_timer_close(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) == napi_ok && p) close_timer(env, p, 0);
}

void loop_timer_call(loop_timer_t *t, size_t argc, napi_value *argv) {
  napi_value cb, recv;
  napi_get_reference_value(t->env, t->cb, &cb);
  napi_get_global(t->env, &recv); /* make_callback needs an object as `this` */
  extras_call_from_loop(t->env, t->actx, recv, cb, argc, argv);
}

void loop_timer_set_ref(loop_timer_t *t, int ref) {
  if (t->closed) return;
  if (ref)
    uv_ref((uv_handle_t *)&t->poll);
  else
    uv_unref((uv_handle_t *)&t->poll);
}
