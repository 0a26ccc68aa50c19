#!/bin/bash
# Builds jcni, then adds two pods by hand, as a runtime would: a "node" namespace where the plugin
# runs, two pod namespaces, ADD, CHECK, ping, DEL. Everything it makes is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JCNI_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[ "$(id -u)" = 0 ] || { echo "demo.sh: run as root (it creates network namespaces)" >&2; exit 1; }
command -v ping >/dev/null || { apt-get update -qq && apt-get install -y -qq iputils-ping >/dev/null; }
mvn -B -q package -DskipTests
run=jdemo$$
data=$(mktemp -d)
cleanup() { for n in node pod1 pod2; do ip netns del "$run-$n" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT
for n in node pod1 pod2; do ip netns add "$run-$n"; done
conf="{\"cniVersion\":\"1.1.0\",\"name\":\"jcni\",\"type\":\"jcni\",\"podcidr\":\"10.240.0.0/24\",\"dataDir\":\"$data\"}"
cni() { # VERB POD [stdin]
  echo "${3:-$conf}" | ip netns exec "$run-node" env -i CNI_COMMAND="$1" CNI_CONTAINERID="$2" \
    CNI_NETNS="/run/netns/$run-$2" CNI_IFNAME=eth0 CNI_PATH="$PWD/dist/bin" dist/bin/jcni
}
for p in pod1 pod2; do
  echo "== ADD $p"
  result=$(cni ADD "$p" 2>/dev/null); echo "$result"
  declare "result_$p=$result"
done
echo "== CHECK pod1 (prints nothing when all is well)"
cni CHECK pod1 "$(python3 -c 'import json,sys; c=json.loads(sys.argv[1]); c["prevResult"]=json.loads(sys.argv[2]); print(json.dumps(c))' "$conf" "$result_pod1")" 2>/dev/null
echo "== pod1 -> pod2, pod1 -> gateway"
ip netns exec "$run-pod1" ping -c1 -W2 10.240.0.3 | tail -2
ip netns exec "$run-pod1" ping -c1 -W2 10.240.0.1 | tail -1
echo "== the node: bridge and host veths"
ip -n "$run-node" -br link
ip -n "$run-node" -br addr show cni0
for p in pod1 pod2; do echo "== DEL $p"; cni DEL "$p" 2>/dev/null; done
echo "== after DEL: links left on the node"
ip -n "$run-node" -br link
