/* Native modules of the addon beyond the sockets of vrrp_socket.c; each adds its functions to exports. */
#ifndef VRRP_ADDON_EXTRAS_H
#define VRRP_ADDON_EXTRAS_H
#include <node_api.h>
#include <stdio.h>
#include <string.h>

/* Throws an Error whose code is the errno name (EPERM, ...), as the socket functions of vrrp_socket.c do. */
static inline void extras_throw_errno(napi_env env, int err, const char *syscall) {
  const char *name = strerrorname_np(err);
  char msg[160];
  snprintf(msg, sizeof msg, "%s %s (%s)", syscall, name ? name : "EUNKNOWN", strerror(err));
  napi_throw_error(env, name ? name : "EUNKNOWN", msg);
}

/* timerfd.c: timerOpen, timerArm, timerDisarm, timerSetRef, timerClose. */
void register_timerfd(napi_env env, napi_value exports);

/* sched.c: setRealtime, setRlimitRttime, lockMemory, setCpuAffinity. */
void register_sched(napi_env env, napi_value exports);

#endif
