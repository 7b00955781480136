/* Native modules of the addon beyond the sockets of vrrp_socket.c; each adds its functions to exports. */
#ifndef VRRP_ADDON_EXTRAS_H
#define VRRP_ADDON_EXTRAS_H
#include <node_api.h>

/* timerfd.c: timerOpen, timerArm, timerDisarm, timerSetRef, timerClose. */
void register_timerfd(napi_env env, napi_value exports);

/* sched.c: setRealtime, setRlimitRttime, lockMemory, setCpuAffinity. */
void register_sched(napi_env env, napi_value exports);

#endif
