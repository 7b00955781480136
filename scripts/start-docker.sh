#!/bin/sh
# Start (or find) the private Docker engine the docker backend of vrrp-lab uses, the recipe of
# docs/docker.md: nothing system-wide changes (no default bridge, no iptables, no ip
# forwarding), state lives under $VRRPLAB_DOCKER_DIR. Idempotent: a running engine is reused.
# Prints `export DOCKER_HOST=...` on stdout; everything else goes to stderr, so callers can
#   eval "$(scripts/start-docker.sh)"
set -eu

DIR="${VRRPLAB_DOCKER_DIR:-/run/vrrp-lab-docker}"
SOCK="$DIR/docker.sock"
export DOCKER_HOST="unix://$SOCK"

if ! command -v dockerd >/dev/null 2>&1; then
  echo "start-docker: installing docker.io" >&2
  # dpkg does not start a system daemon here (policy-rc.d exits 101); we start our own below.
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >&2
fi

if docker version >/dev/null 2>&1; then
  echo "start-docker: engine already answers on $SOCK" >&2
  echo "export DOCKER_HOST=$DOCKER_HOST"
  exit 0
fi

mkdir -p "$DIR"
# A dockerd killed without cleanup leaves its pid file and socket: a stale pid file makes it refuse to start.
if [ -f "$DIR/dockerd.pid" ] && ! kill -0 "$(cat "$DIR/dockerd.pid")" 2>/dev/null; then
  rm -f "$DIR/dockerd.pid" "$SOCK"
fi
if [ ! -f "$DIR/dockerd.pid" ]; then
  # setsid + nohup: the engine outlives this script and the CI step's shell.
  setsid nohup dockerd -H "unix://$SOCK" --data-root "$DIR/data" --exec-root "$DIR/exec" --pidfile "$DIR/dockerd.pid" \
    --storage-driver overlay2 --bridge=none --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
    --default-address-pool base=172.31.0.0/16,size=24 >"$DIR/dockerd.log" 2>&1 </dev/null &
fi

# Wait for the engine to answer (about 0.2 s normally), not a fixed sleep; give up after 30 s.
i=0
until docker version >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt 300 ]; then
    echo "start-docker: dockerd did not answer on $SOCK within 30 s; log:" >&2
    tail -20 "$DIR/dockerd.log" >&2 || true
    exit 1
  fi
  sleep 0.1
done
echo "start-docker: engine up on $SOCK" >&2
echo "export DOCKER_HOST=$DOCKER_HOST"
