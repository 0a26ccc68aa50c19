#!/bin/bash
# Installs, from Debian's packages, what the tests drive: iproute2 and ping for namespaces, the
# reference CNI plugins for chaining, Go + libcni sources for the cniclient, podman for real
# containers, nftables, etcd, gcc for the native shim. Does nothing when all are present or when not root.
set -euo pipefail
need=()
have() { command -v "$1" >/dev/null 2>&1; }
have ip || need+=(iproute2)
have ping || need+=(iputils-ping)
have nft || need+=(nftables)
[ -x /usr/lib/cni/host-local ] || need+=(containernetworking-plugins)
have go || need+=(golang-go)
[ -d /usr/share/gocode/src/github.com/containernetworking/cni/libcni ] || need+=(golang-github-appc-cni-dev)
have podman || need+=(podman)
have runc || need+=(runc)
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
have etcd || need+=(etcd-server)
have etcdctl || need+=(etcd-client)
have mvn || need+=(maven)
have gcc || need+=(gcc)                      # the native shim (scripts/build-shim.sh)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(libc6-dev)   # to link it statically
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "test-deps: missing ${need[*]}; run as root to install them (the tests that need them will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
