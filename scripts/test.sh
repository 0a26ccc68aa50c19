#!/bin/bash
# Runs jcni's whole test suite: unit tests, then the privileged kernel, plugin, client, agent and lab
# tests against the built dist/bin/jcni; then the shipped form: the release tarball is built, installed
# into an empty host root, and the real-client tests (libcni, podman) run against that installed copy.
# Run it as root (the network tests skip, saying why, otherwise). Installs the Debian packages the
# tests drive when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JCNI_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
scripts/test-deps.sh
mvn -B -ntp verify "$@"

if [ "$(id -u)" != 0 ]; then
  echo "test.sh: skipped the shipped-tarball tests: building the AOT cache needs root (network namespaces)"
  exit 0
fi
scripts/package-runtime.sh --runs 3
hostroot=$(mktemp -d /tmp/jcni-hostroot.XXXXXX)
trap 'rm -rf "$hostroot"' EXIT
mkdir -p "$hostroot/unpacked" "$hostroot/host"
tar -xzf dist/jcni-*-linux-amd64.tar.gz -C "$hostroot/unpacked"
"$hostroot/unpacked/jcni/bin/jcni" install --host-root "$hostroot/host"
installed="$hostroot/host/opt/cni/bin"
"$installed/jcni" version
mvn -B -ntp failsafe:integration-test failsafe:verify -Dit.test='LibcniIT,PodmanIT' -Djcni.dist.dir="$installed/jcni.d"
