#!/bin/bash
# Runs jcni's whole test suite: unit tests, then the privileged kernel, plugin and client tests
# against the built dist/bin/jcni. Run it as root (the network tests skip, saying why, otherwise).
# Installs the Debian packages the tests drive when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JCNI_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
scripts/test-deps.sh
exec mvn -B -ntp verify "$@"
