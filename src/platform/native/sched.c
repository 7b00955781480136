/*
 * Process scheduling and memory knobs keepalived applies to its VRRP process (vrrp_rt_priority,
 * vrrp_rlimit_rttime, vrrp_no_swap, vrrp_cpu_affinity), for vrrpd's own process. Node has no API for them
 * (os.setPriority covers vrrp_priority). Each throws an Error with code = errno name on failure.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "extras.h"

static int int_arg(napi_env env, napi_callback_info info, int32_t *out) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], out) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected an integer");
    return -1;
  }
  return 0;
}

/* setRealtime(priority): SCHED_RR for the calling (event-loop) thread, where every VRRP timer and packet runs.
 * SCHED_RESET_ON_FORK, as keepalived: notify and track scripts start with the normal policy. */
static napi_value set_realtime(napi_env env, napi_callback_info info) {
  int32_t prio;
  if (int_arg(env, info, &prio) < 0) return NULL;
  struct sched_param sp = {.sched_priority = prio};
  if (sched_setscheduler(0, SCHED_RR | SCHED_RESET_ON_FORK, &sp) < 0) extras_throw_errno(env, errno, "sched_setscheduler");
  return NULL;
}

/* setRlimitRttime(us): hard limit us (SIGKILL), soft limit us/2 (SIGXCPU, a warning first), as keepalived sets it. */
static napi_value set_rlimit_rttime(napi_env env, napi_callback_info info) {
  int32_t us;
  if (int_arg(env, info, &us) < 0) return NULL;
  struct rlimit rl = {.rlim_cur = (rlim_t)us / 2, .rlim_max = (rlim_t)us};
  if (setrlimit(RLIMIT_RTTIME, &rl) < 0) extras_throw_errno(env, errno, "setrlimit(RLIMIT_RTTIME)");
  return NULL;
}

/* Working memory mapped after mlockall: a new mapping, so MCL_FUTURE locks it and it is resident from the start
 * (malloc may serve the next allocations from pages mapped before the lock). */
#define LOCKED_RESERVE_BYTES (256 * 1024)
static void *locked_reserve;

/* lockMemory(): mlockall(MCL_FUTURE), keepalived's vrrp_no_swap, plus a locked reserve as keepalived reserves
 * stack for its locked process. */
static napi_value lock_memory(napi_env env, napi_callback_info info) {
  (void)info;
  if (mlockall(MCL_FUTURE) < 0) {
    extras_throw_errno(env, errno, "mlockall");
    return NULL;
  }
  if (locked_reserve == NULL) {
    void *p = mmap(NULL, LOCKED_RESERVE_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) {
      memset(p, 0, LOCKED_RESERVE_BYTES);
      locked_reserve = p;
    }
  }
  return NULL;
}

/* setCpuAffinity(cpus: number[]): every thread of the process (V8 and libuv threads already exist). */
static napi_value set_cpu_affinity(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  uint32_t n = 0;
  bool is_array = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", "expected an array of CPU numbers");
    return NULL;
  }
  napi_get_array_length(env, argv[0], &n);
  cpu_set_t set;
  CPU_ZERO(&set);
  for (uint32_t i = 0; i < n; i++) {
    napi_value v;
    int32_t cpu = -1;
    napi_get_element(env, argv[0], i, &v);
    if (napi_get_value_int32(env, v, &cpu) != napi_ok || cpu < 0 || cpu >= CPU_SETSIZE) {
      napi_throw_range_error(env, "ERR_OUT_OF_RANGE", "CPU number out of range");
      return NULL;
    }
    CPU_SET(cpu, &set);
  }
  DIR *d = opendir("/proc/self/task");
  if (!d) {
    extras_throw_errno(env, errno, "opendir(/proc/self/task)");
    return NULL;
  }
  int err = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    if (e->d_name[0] == '.') continue;
    pid_t tid = (pid_t)atoi(e->d_name);
    /* ESRCH: the thread ended meanwhile. */
    if (sched_setaffinity(tid, sizeof set, &set) < 0 && errno != ESRCH && !err) err = errno;
  }
  closedir(d);
  if (err) extras_throw_errno(env, err, "sched_setaffinity");
  return NULL;
}

void register_sched(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"setRealtime", NULL, set_realtime, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setRlimitRttime", NULL, set_rlimit_rttime, NULL, NULL, NULL, napi_enumerable, NULL},
      {"lockMemory", NULL, lock_memory, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setCpuAffinity", NULL, set_cpu_affinity, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
}
