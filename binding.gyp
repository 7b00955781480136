{
  "targets": [
    {
      "target_name": "vrrp_socket",
      "sources": ["src/platform/native/vrrp_socket.c", "src/platform/native/timerfd.c", "src/platform/native/sched.c", "src/platform/native/advert_ticker.c", "src/platform/native/advert_watch.c", "src/platform/native/loop_timer.c"],
      "cflags": ["-Wall", "-Wextra", "-O2"]
    }
  ]
}
