#!/usr/bin/env bash
# Installs the Debian packages vrrp-lab needs (only the missing ones), so a fresh Debian 12 machine
# can build the project, run the tests and run drills. Idempotent; needs root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "setup-debian.sh: must run as root (network namespaces, raw sockets and apt-get need it)" >&2
  exit 1
fi

# iproute2/nftables/tcpdump: topologies and captures; keepalived and frr: the reference implementations;
# nginx-light + curl: the health-checked service; procps: pgrep/pkill; g++/make/python3: the raw-socket addon.
packages=(iproute2 nftables tcpdump keepalived frr nginx-light curl procps g++ make python3 ca-certificates)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # Debian starts no services inside this image (policy-rc.d); we start our own per-namespace daemons anyway.
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v node >/dev/null 2>&1; then
  echo "setup-debian.sh: Node.js >= 20 is required (node not found)" >&2
  exit 1
fi
echo "debian packages: ok"
