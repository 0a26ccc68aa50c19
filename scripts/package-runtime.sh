#!/bin/bash
# Ships jcni. Run after `mvn package`: packs dist/ into dist/jcni-<version>-linux-amd64.tar.gz holding
#   jcni/bin/jcni                      the launcher (needs nothing from the host but /bin/sh)
#   jcni/lib/*.jar                     jcni and its dependencies
#   jcni/lib/jcni.aot                  an AOT cache (JEP 483/514) trained on real VERSION, ADD and DEL calls
#   jcni/lib/aot/jcni-aot-train.jar    the training driver (a cache wants its training class path)
#   jcni/runtime/                      a jlink'd Java 25 with only the modules jcni needs
# and then checks what it made: every command runs on the trimmed runtime, the plugin really loads its
# classes from the cache, a broken or foreign cache leaves the plugin's stdout clean, and it prints
# start-up figures with and without the cache. Training and checks run in network namespaces of their
# own (jaot<pid>-node, jaot<pid>-pod), never in the root one; they are removed on exit.
#
#   sudo scripts/package-runtime.sh [--no-aot] [--runs N]
#
#   --no-aot   no cache, no namespaces (and no root needed): only jlink, the CLI checks and the tarball
#   --runs N   runs per start-up figure (default 15; the median is printed)
# Environment: JCNI_JDK, the JDK that runs jdeps and jlink (default Temurin 25); JCNI_LAUNCHER, the
# launcher to ship (default dist/bin/jcni).
set -euo pipefail
cd "$(dirname "$0")/.."

JDK=${JCNI_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
# With the native shim built (scripts/build-shim.sh), dist/bin/jcni is the shim and the sh launcher is jcni-java.
if [ -z "${JCNI_LAUNCHER:-}" ] && [ -f dist/bin/jcni-java ]; then launcher=dist/bin/jcni-java; else launcher=${JCNI_LAUNCHER:-dist/bin/jcni}; fi
shim=
if [ "$launcher" = dist/bin/jcni-java ] && ! cmp -s dist/bin/jcni dist/bin/jcni-java; then shim=dist/bin/jcni; fi
aot=1
runs=15
while [ $# -gt 0 ]; do
  case $1 in
    --no-aot) aot=0 ;;
    --runs) runs=$2; shift ;;
    *) echo "usage: $0 [--no-aot] [--runs N]" >&2; exit 2 ;;
  esac
  shift
done

# The launcher's JVM options (src/main/dist/bin/jcni): the cache is trained with them, and only serves them.
launcher_jvm_options=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xmx96m
  -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=64m
  -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1
  -Xlog:all=off -Xlog:all=warning:stderr -XX:+DisplayVMOutputToStderr --enable-native-access=ALL-UNNAMED)

die() { echo "package-runtime: $*" >&2; exit 1; }
step() { echo "== $*"; }

[ -f dist/lib/jcni.jar ] || die "no dist/lib/jcni.jar: run 'mvn -B package' first"
[ -x "$launcher" ] || die "no launcher at $launcher"
[ -x "$JDK/bin/jlink" ] || die "no JDK at $JDK (set JCNI_JDK)"
[ "$(uname -m)" = x86_64 ] || die "this script builds linux-amd64 only, not $(uname -m)"
if [ "$aot" = 1 ]; then
  [ "$(id -u)" = 0 ] || die "training the AOT cache needs root (network namespaces); run with sudo, or pass --no-aot"
  grep -q 'jcni\.aot' "$launcher" || die "$launcher does not use lib/jcni.aot: ship the launcher from src/main/dist/bin (JCNI_LAUNCHER=...)"
  for o in "${launcher_jvm_options[@]}"; do
    case $o in -Xmx*) o=-Xmx ;; esac
    grep -qF -- "$o" "$launcher" || die "$launcher no longer passes $o: bring launcher_jvm_options in this script in step"
  done
fi

work=$(mktemp -d /tmp/jcni-package.XXXXXX)
run=jaot$$
agent_pid= api_pid= etcd_pid=
cleanup() {
  local p
  for p in "$agent_pid" "$api_pid" "$etcd_pid"; do
    if [ -n "$p" ]; then kill "$p" 2> /dev/null || true; wait "$p" 2> /dev/null || true; fi
  done
  for n in node pod; do ip netns del "$run-$n" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

manifest_value() { # JAR KEY: a main-manifest attribute, continuation lines joined
  local jar
  jar=$(cd "$(dirname "$1")" && pwd -P)/$(basename "$1")
  (rm -rf "$work/mf" && mkdir "$work/mf" && cd "$work/mf" && "$JDK/bin/jar" --extract --file "$jar" META-INF/MANIFEST.MF)
  tr -d '\r' < "$work/mf/META-INF/MANIFEST.MF" | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n //g' | sed -n "s/^$2: //p"
}
version=$(manifest_value dist/lib/jcni.jar Implementation-Version)
[ -n "$version" ] || die "dist/lib/jcni.jar has no Implementation-Version"
stage=target/package-runtime
home=$stage/jcni
tarball=dist/jcni-$version-linux-amd64.tar.gz

step "staging jcni $version in $home"
rm -rf "$stage"
mkdir -p "$home/bin" "$home/lib"
if [ -n "$shim" ]; then
  # The native shim is the entry point: it hands CNI calls to a running agent without a JVM and runs
  # jcni-java (this launcher) for everything else.
  cp "$shim" "$home/bin/jcni"
  cp "$launcher" "$home/bin/jcni-java"
  chmod 755 "$home/bin/jcni" "$home/bin/jcni-java"
else
  cp "$launcher" "$home/bin/jcni"
  chmod 755 "$home/bin/jcni"
fi
cp dist/lib/*.jar "$home/lib/"
# The launcher's class path is jcni.jar alone, so its manifest must name every other jar.
classpath=" $(manifest_value dist/lib/jcni.jar Class-Path) "
for j in "$home"/lib/*.jar; do
  b=$(basename "$j")
  [ "$b" = jcni.jar ] || case $classpath in *" $b "*) ;; *) die "$b is in dist/lib but not in jcni.jar's Class-Path (stale jar? run mvn clean package)" ;; esac
done
home=$(cd "$home" && pwd -P)

step "jlink"
jdeps_modules=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 -cp 'dist/lib/*' dist/lib/jcni.jar)
# What only run time finds (ServiceLoader, Class.forName), so jdeps cannot see it:
#   java.net.http    fabric8's JDK HTTP client (kubernetes-httpclient-jdk is a ServiceLoader provider)
#   java.management  Netty reads the JVM's arguments through ManagementFactory, by reflection
#   jdk.naming.dns   gRPC (the etcd client) looks DNS SRV/TXT records up through JNDI's dns: provider
#   jdk.unsupported  sun.misc.Unsafe for Netty, Guava and protobuf (jdeps finds it too)
# Not jdk.crypto.ec: it is an empty, deprecated module since JDK 22; EC lives in java.base.
# Not java.desktop (15 MB): jdeps names it for Jackson 3 alone, whose module only "requires static" it
# (optional java.beans support); the agent checks below parse Nodes through fabric8 and Jackson without it.
extra_modules=java.net.http,java.management,jdk.naming.dns,jdk.unsupported
modules=$(echo "$jdeps_modules,$extra_modules" | tr ',' '\n' | grep -vx java.desktop | sort -u | paste -sd, -)
echo "jdeps: $jdeps_modules"
echo "modules: $modules"
# --generate-cds-archive: the runtime's own CDS archive, so that a run without the AOT cache (a stale
# one, or none) still starts in about 90 ms rather than 150. Its no-compressed-oops twin only serves
# heaps over 32 GB, which the launcher never asks for (-Xmx96m): it goes (15 MB).
"$JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive --output "$home/runtime"
rm -f "$home/runtime/lib/server/classes_nocoops.jsa"
echo "runtime: $(du -sh "$home/runtime" | cut -f1) ($("$home/runtime/bin/java" --list-modules | wc -l) modules)"

jcni=$home/bin/jcni
cli_checks() { # LABEL: the CLI and the plugin's VERSION on the trimmed runtime (no namespace needed)
  step "CLI checks on the trimmed runtime ($1)"
  "$jcni" version > "$work/version.out" || die "jcni version failed"
  sed 's/^/  /' "$work/version.out"
  grep -q "^jcni $version\$" "$work/version.out" || die "jcni version did not say jcni $version"
  "$jcni" agent --help > "$work/agent-help.out" || die "jcni agent --help failed"
  grep -q -- '--node-name' "$work/agent-help.out" || die "jcni agent --help printed no --node-name"
  echo "jcni agent --help: ok"
  env -i CNI_COMMAND=VERSION "$jcni" < /dev/null > "$work/VERSION.out" 2> "$work/VERSION.err" \
    || die "CNI_COMMAND=VERSION failed: $(cat "$work/VERSION.err")"
  grep -q '"supportedVersions"' "$work/VERSION.out" || die "CNI_COMMAND=VERSION printed no supportedVersions"
  [ ! -s "$work/VERSION.err" ] || die "CNI_COMMAND=VERSION wrote to stderr: $(cat "$work/VERSION.err")"
  echo "CNI_COMMAND=VERSION: $(tr -d ' \n' < "$work/VERSION.out")"
}
cli_checks "no cache"

if [ "$aot" = 1 ]; then
  step "namespaces $run-node and $run-pod"
  ip netns add "$run-node"
  ip netns add "$run-pod"
  ip -n "$run-node" link set lo up
  ip -n "$run-node" link add jaot-up type bridge # the node's "underlay", so that the agent has an address
  ip -n "$run-node" addr add 10.99.0.1/24 dev jaot-up
  ip -n "$run-node" link set jaot-up up
  mkdir -p "$work/ipam"
  echo '{"nodes":[{"name":"n1","ip":"10.99.0.1","podcidr":"10.240.0.0/24"}]}' > "$work/nodes.json"

  # An agent in the node namespace. Its plugin socket is the fast path: a plugin whose config names
  # agentSocket hands ADD and DEL to it. Training and timing cover both paths.
  start_agent() { # LABEL ENV... -- AGENT-ARGS...: start it and wait until /readyz says yes
    local label=$1 i env=(); shift
    while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
    rm -rf "$work/net.d" "$work/state"
    ip netns exec "$run-node" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "${env[@]}" "$jcni" agent --node-name n1 \
      --node-ip 10.99.0.1 --cni-conf-dir "$work/net.d" --state-dir "$work/state" --metrics-addr 127.0.0.1:9765 "$@" \
      > "$work/agent-$label.log" 2>&1 &
    agent_pid=$!
    for i in $(seq 150); do
      ip netns exec "$run-node" curl -sf http://127.0.0.1:9765/readyz > /dev/null 2>&1 && return 0
      kill -0 "$agent_pid" 2> /dev/null || { cat "$work/agent-$label.log" >&2; die "agent ($label) exited"; }
      sleep 0.2
    done
    cat "$work/agent-$label.log" >&2
    die "agent ($label) never became ready"
  }
  stop_agent() { kill -TERM "$agent_pid"; wait "$agent_pid" || true; agent_pid=; }
  start_agent fast-path -- --source "file:$work/nodes.json"
  socket=$(sed -n 's/.*"agentSocket": *"\([^"]*\)".*/\1/p' "$work/net.d"/*.conflist)
  [ -S "$socket" ] || die "the agent's conflist names no socket that exists: ${socket:-none}"
  conf="{\"cniVersion\":\"1.1.0\",\"name\":\"jaot\",\"type\":\"jcni\",\"bridge\":\"cni0\",\"podcidr\":\"10.240.0.0/24\",\"dataDir\":\"$work/ipam\"}"
  conf_fast="${conf%\}},\"agentSocket\":\"$socket\"}"
  # A call the way a runtime makes it: a fresh process in the node's namespace, a clean environment.
  cni() { # VERB CONTAINERID [PROGRAM ARGS...]; config on stdin
    local verb=$1 id=$2; shift 2
    ip netns exec "$run-node" env -i CNI_COMMAND="$verb" CNI_CONTAINERID="$id" CNI_NETNS="/run/netns/$run-pod" \
      CNI_IFNAME=eth0 CNI_PATH="$home/bin" ${JTO:+JAVA_TOOL_OPTIONS="$JTO"} "${@:-$jcni}"
  }

  step "training the AOT cache on VERSION, ADD and DEL"
  # JDK 25 makes one cache from one training run, and one plugin run does one verb. So the driver runs
  # them in one JVM: VERSION and ADD/DEL rounds through the plugin's own Dispatcher (what the plugin does
  # without an agent), an ADD handed to the agent, and last a DEL through dev.jcni.cli.Main itself
  # (CNI_* from the environment, config on stdin), which hands it to the agent as a runtime's call would.
  cat > "$work/JcniAotTrain.java" <<'EOF'
import dev.jcni.handoff.HandoffClient;
import dev.jcni.plugin.JcniPlugin;
import dev.jcni.spec.Dispatcher;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** AOT cache training for the jcni plugin: VERSION, ADD/DEL in process, ADD and DEL through the agent. */
public final class JcniAotTrain {
    public static void main(String[] args) throws Exception {
        byte[] conf = System.in.readAllBytes(); // names the agent's socket
        Dispatcher plugin = new Dispatcher(new JcniPlugin(System.err));
        call(plugin, conf, "VERSION", "jaot-version");
        for (int i = 1; i <= 3; i++) {
            call(plugin, conf, "ADD", "jaot-" + i);
            call(plugin, conf, "DEL", "jaot-" + i);
        }
        String last = System.getenv("CNI_CONTAINERID"); // Main's DEL below takes it off again
        Path socket = HandoffClient.socketOf(conf).orElseThrow(() -> new IllegalStateException("no agentSocket in the config"));
        if (!(HandoffClient.send(socket, env("ADD", last), conf) instanceof HandoffClient.Outcome.Handled h) || h.response().exit() != 0) {
            throw new IllegalStateException("the agent did not take the ADD of " + last);
        }
        System.err.println("jaot: ADD " + last + " ok (agent)");
        System.setIn(new ByteArrayInputStream(conf));
        dev.jcni.cli.Main.main(new String[0]); // exits with the DEL's status
    }

    private static Map<String, String> env(String verb, String containerId) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CNI_COMMAND", verb);
        env.put("CNI_CONTAINERID", containerId);
        return env;
    }

    private static void call(Dispatcher plugin, byte[] conf, String verb, String containerId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = plugin.run(env(verb, containerId), new ByteArrayInputStream(conf), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        if (rc != 0) {
            System.err.println("jaot: " + verb + " " + containerId + " failed (" + rc + "): " + out.toString(StandardCharsets.UTF_8));
            System.exit(1);
        }
        System.err.println("jaot: " + verb + " " + containerId + " ok");
    }
}
EOF
  mkdir -p "$work/train" "$home/lib/aot"
  "$JDK/bin/javac" --release 25 -Xlint:all -Werror -cp "$home/lib/jcni.jar" -d "$work/train" "$work/JcniAotTrain.java"
  "$JDK/bin/jar" --create --file "$home/lib/aot/jcni-aot-train.jar" -C "$work/train" .
  # The launcher's options and class path exactly: a cache serves only those.
  cni DEL jaot-last "$home/runtime/bin/java" "${launcher_jvm_options[@]}" -XX:AOTCacheOutput="$home/lib/jcni.aot" \
    -cp "$home/lib/jcni.jar:$home/lib/aot/jcni-aot-train.jar" JcniAotTrain <<< "$conf_fast" \
    > "$work/train.out" 2> "$work/train.err" || { cat "$work/train.err" >&2; die "training failed"; }
  grep '^jaot:\|AOTCache creation' "$work/train.err" | sed 's/^/  /'
  [ -s "$home/lib/jcni.aot" ] || die "no cache written"
  echo "cache: $(du -h "$home/lib/jcni.aot" | cut -f1)"
  [ -z "$(ip -n "$run-node" -o link show type veth)" ] || die "training left veths behind"
  cli_checks "with the cache"

  step "ADD and DEL through the shipped launcher, in the plugin and handed to the agent"
  add_del() { # LABEL CONFIG: ADD, check the pod's eth0, DEL, check it is gone; stderr says who did it
    local add ip who
    add=$(cni ADD "jaot-$1" <<< "$2" 2> "$work/add.err") || die "ADD ($1) failed: $add $(cat "$work/add.err")"
    ip=$(echo "$add" | sed -n 's/.*"address": *"\(10\.240\.0\.[0-9]*\)\/24".*/\1/p' | head -1)
    [ -n "$ip" ] || die "ADD ($1) result has no 10.240.0.x address: $add"
    [[ $(ip -n "$run-pod" -4 -o addr show dev eth0) == *" $ip/24 "* ]] || die "eth0 in the pod has no $ip"
    cni DEL "jaot-$1" <<< "$2" > "$work/del.out" 2>&1 || die "DEL ($1) failed: $(cat "$work/del.out")"
    ! ip -n "$run-pod" link show dev eth0 > /dev/null 2>&1 || die "DEL ($1) left eth0 in the pod"
    [ -z "$(ip -n "$run-node" -o link show type veth)" ] || die "DEL ($1) left the host veth"
    who=$(sed -n 's/.* jcni\[\([0-9]*\)\] ADD .*/\1/p' "$work/add.err" | head -1)
    [ -n "$who" ] || die "ADD ($1) logged nothing on stderr"
    echo "$who"
  }
  who=$(add_del plugin "$conf")
  [ "$who" != "$agent_pid" ] || die "the ADD without agentSocket went to the agent"
  echo "in the plugin: eth0 got its address and lost it again (pid $who)"
  who=$(add_del agent "$conf_fast")
  [ "$who" = "$agent_pid" ] || die "the ADD with agentSocket was not handled by the agent ($who, agent $agent_pid)"
  echo "handed to the agent: eth0 got its address and lost it again (the agent, pid $who, logged it)"

  step "the plugin loads its classes from the cache"
  jcni_cached() { grep -c ' dev\.jcni\..* source: shared objects file' "$1" || true; }
  class_report() { # LOG: loaded classes, from the cache, jcni's from the cache / all of jcni's
    printf '%s classes loaded, %s from the AOT cache; dev.jcni: %s of %s from the cache' \
      "$(grep -c 'source:' "$1")" "$(grep -c 'source: shared objects file' "$1")" \
      "$(jcni_cached "$1")" "$(grep -c ' dev\.jcni\.' "$1")"
  }
  # With the shim, a call handed to the agent starts no JVM at all, so there is nothing to load.
  checks=(VERSION/plugin ADD/plugin DEL/plugin)
  [ -n "$shim" ] || checks+=(ADD/agent DEL/agent)
  for v in "${checks[@]}"; do
    c=$conf; [ "${v#*/}" = agent ] && c=$conf_fast
    JTO="-Xlog:class+load=info:file=$work/cl.log" cni "${v%/*}" jaot-cl <<< "$c" > /dev/null 2>&1 || die "$v failed"
    printf '%-13s %s\n' "$v:" "$(class_report "$work/cl.log")"
    [ "$(jcni_cached "$work/cl.log")" -gt 0 ] || die "$v loaded no jcni class from the cache"
  done

  step "a broken or foreign cache: the plugin still answers, stdout stays clean"
  expect=$(cat "$work/VERSION.out")
  broken=$work/broken/jcni
  mkdir -p "$work/broken"
  check_broken() { # NAME: VERSION through the copy must print exactly what the good install prints
    local out err rc=0
    out=$(env -i CNI_COMMAND=VERSION "$broken/bin/jcni" < /dev/null 2> "$work/broken.err") || rc=$?
    [ "$rc" = 0 ] || die "$1: VERSION failed ($rc): $(cat "$work/broken.err")"
    [ "$out" = "$expect" ] || die "$1: stdout differs: $out"
    err=$(grep -v '^\[  ' "$work/broken.err" | head -1 || true)
    echo "$1: VERSION ok, stdout clean; stderr: ${err:-(nothing)}"
  }
  fresh_copy() { rm -rf "$broken" && cp -a "$home" "$broken"; }
  fresh_copy; head -c $(( $(stat -c %s "$broken/lib/jcni.aot") / 2 )) "$home/lib/jcni.aot" > "$broken/lib/jcni.aot"
  check_broken "truncated cache"
  fresh_copy; printf 'not an AOT cache' | dd of="$broken/lib/jcni.aot" bs=1 seek=0 conv=notrunc status=none
  check_broken "cache with a garbled header"
  fresh_copy; : > "$broken/lib/jcni.aot"
  check_broken "empty cache"
  # A cache that the JDK, not the bundled runtime, made for the same jars: a different JVM build.
  fresh_copy; env -i CNI_COMMAND=VERSION "$JDK/bin/java" "${launcher_jvm_options[@]}" -XX:AOTCacheOutput="$broken/lib/jcni.aot" \
    -cp "$broken/lib/jcni.jar:$broken/lib/aot/jcni-aot-train.jar" dev.jcni.cli.Main < /dev/null > /dev/null 2>&1 \
    || die "could not make a cache with $JDK"
  check_broken "cache from another JVM (the full JDK)"
  # A cache for another class path: a different program's.
  fresh_copy; mkdir -p "$work/other" && printf 'public class Other { public static void main(String[] a) {} }\n' > "$work/other/Other.java"
  "$JDK/bin/javac" -d "$work/other" "$work/other/Other.java"
  "$JDK/bin/jar" --create --file "$work/other.jar" -C "$work/other" Other.class
  "$broken/runtime/bin/java" "${launcher_jvm_options[@]}" -XX:AOTCacheOutput="$broken/lib/jcni.aot" -cp "$work/other.jar" Other \
    > /dev/null 2>&1 || die "could not make the other program's cache"
  check_broken "cache for another class path"
  # A jar newer than the cache (rebuilt or replaced): the launcher leaves the cache out.
  fresh_copy; touch "$broken/lib/jcni.jar"
  check_broken "jar newer than the cache"
  env -i CNI_COMMAND=VERSION JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$work/cl-stale.log" "$broken/bin/jcni" < /dev/null > /dev/null 2>&1
  [ "$(jcni_cached "$work/cl-stale.log")" = 0 ] || die "the launcher used a cache older than jcni.jar"
  echo "jar newer than the cache: no class came from the cache"

  step "jcni install into a scratch host root; the installed copy uses its cache"
  if "$jcni" install --help > /dev/null 2>&1; then
    host=$work/host
    "$jcni" install --host-root "$host" | sed 's/^/  /'
    "$jcni" install --host-root "$host" | sed 's/^/  /' # again: the switch to a second copy
    entry=$host/opt/cni/bin/jcni
    out=$(env -i CNI_COMMAND=VERSION JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$work/cl-installed.log" "$entry" < /dev/null 2> /dev/null) \
      || die "VERSION through the installed entry point failed"
    [ "$out" = "$expect" ] || die "VERSION through the installed entry point: $out"
    [ "$(jcni_cached "$work/cl-installed.log")" -gt 0 ] || die "the installed copy does not load jcni from its cache"
    echo "$entry -> jcni.d -> $(readlink "$host/opt/cni/bin/jcni.d"): VERSION ok; $(class_report "$work/cl-installed.log")"
  else
    echo "SKIPPED: this jcni has no install command (register InstallCommand in Cli)"
  fi

  step "start-up, median of $runs runs, in ms (ADD and DEL include 'ip netns exec')"
  # The set-ups take turns within each round, so that a busy machine slows them alike.
  nocache=$work/nocache/jcni
  mkdir -p "$work/nocache" && cp -a "$home" "$nocache" && rm "$nocache/lib/jcni.aot"
  printf '#!/bin/sh\nJCNI_JAVA_HOME=%s exec %s "$@"\n' "$JDK" "$nocache/bin/jcni" > "$work/fulljdk"
  chmod 755 "$work/fulljdk"
  labels=("trimmed runtime + AOT cache" "trimmed runtime, no AOT cache" "full JDK 25 (its default CDS), no AOT")
  launchers=("$jcni" "$nocache/bin/jcni" "$work/fulljdk")
  # Wall time, and CPU time (user + system, all threads, from the shell's `times`), which a busy machine
  # disturbs less. Nothing forks inside the measured span but the call itself.
  measure() { # NAME CMD...: one run, appended to $work/b-NAME
    local name=$1 t0 t1 u0 s0 u1 s1; shift
    times > "$work/times"; { read -r _; read -r u0 s0; } < "$work/times"
    t0=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 || die "$name: $* failed"
    t1=$EPOCHREALTIME
    times > "$work/times"; { read -r _; read -r u1 s1; } < "$work/times"
    echo "$t0 $t1 $u0 $s0 $u1 $s1" >> "$work/b-$name"
  }
  stat() { # WALL|CPU FILE [FILE2]: the median in ms; with two files, of the sums of their lines
    paste -d' ' "${@:2}" | awk -v which="$1" '
      function sec(x,  m) { m = index(x, "m"); return substr(x, 1, m - 1) * 60 + substr(x, m + 1, length(x) - m - 1) }
      { v = 0
        for (f = 0; f < NF; f += 6) v += (which == "WALL") ? $(f + 2) - $(f + 1) : sec($(f + 5)) + sec($(f + 6)) - sec($(f + 3)) - sec($(f + 4))
        print v * 1000 }' | sort -n | awk '{a[NR] = $1} END {printf "%.0f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
  }
  rm -f "$work"/b-*
  for i in $(seq "$runs"); do
    for k in "${!launchers[@]}"; do
      l=${launchers[$k]}
      measure "$k-version" env -i CNI_COMMAND=VERSION "$l" < /dev/null
      measure "$k-add" cni ADD "bench-$k-$i" "$l" <<< "$conf"
      measure "$k-del" cni DEL "bench-$k-$i" "$l" <<< "$conf"
      measure "$k-add-fast" cni ADD "bench-$k-$i" "$l" <<< "$conf_fast"
      measure "$k-del-fast" cni DEL "bench-$k-$i" "$l" <<< "$conf_fast"
    done
    measure netns ip netns exec "$run-node" true
  done
  for m in WALL CPU; do
    printf '%-38s %7s %-17s %s\n' "$m time" "" "in the plugin" "handed to the agent"
    printf '%-38s %7s %5s %5s %7s %5s %5s %7s\n' "" VERSION ADD DEL ADD+DEL ADD DEL ADD+DEL
    for k in "${!launchers[@]}"; do
      printf '%-38s %7s %5s %5s %7s %5s %5s %7s\n' "${labels[$k]}" "$(stat $m "$work/b-$k-version")" \
        "$(stat $m "$work/b-$k-add")" "$(stat $m "$work/b-$k-del")" "$(stat $m "$work/b-$k-add" "$work/b-$k-del")" \
        "$(stat $m "$work/b-$k-add-fast")" "$(stat $m "$work/b-$k-del-fast")" "$(stat $m "$work/b-$k-add-fast" "$work/b-$k-del-fast")"
    done
  done
  echo "('ip netns exec $run-node true' alone: $(stat WALL "$work/b-netns") ms wall, $(stat CPU "$work/b-netns") ms CPU;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs)"
  [ -z "$(ip -n "$run-node" -o link show type veth)" ] || die "the benchmark left veths behind"
  stop_agent

  step "the agent on the trimmed runtime, each source, in $run-node"
  agent_check() { # LABEL ENV... -- AGENT-ARGS...
    local label=$1
    start_agent "$@"
    ip netns exec "$run-node" curl -sf http://127.0.0.1:9765/healthz > /dev/null || die "agent ($label): /healthz failed"
    ip netns exec "$run-node" curl -sf http://127.0.0.1:9765/metrics | grep -q '^# ' || die "agent ($label): /metrics is empty"
    grep -q '"10\.240\.[0-9]*\.0/24"' "$work/net.d"/*.conflist 2> /dev/null || die "agent ($label) wrote no conflist with the node's pod range"
    stop_agent
    echo "agent --source $label: ready; /healthz, /readyz, /metrics answer;" \
      "$(basename "$work"/net.d/*.conflist) has $(grep -o '10\.240\.[0-9]*\.0/24' "$work"/net.d/*.conflist | head -1)"
  }
  agent_check file -- --source "file:$work/nodes.json"
  # --source kubernetes against a stand-in API server: one node in the list, a watch that stays open.
  # Exercises what jdeps cannot vouch for: fabric8's JDK HTTP client (a ServiceLoader find) and Jackson.
  if command -v python3 > /dev/null; then
    cat > "$work/apiserver.py" <<'EOF'
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
NODE = {"apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "n1", "resourceVersion": "1", "uid": "8d8e4f6a-0000-4000-8000-000000000001"},
        "spec": {"podCIDR": "10.240.0.0/24", "podCIDRs": ["10.240.0.0/24"]},
        "status": {"addresses": [{"type": "InternalIP", "address": "10.99.0.1"}, {"type": "Hostname", "address": "n1"}]}}
class Api(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, fmt, *args):
        sys.stderr.write("apiserver: " + (fmt % args) + "\n")
    def do_GET(self):
        if not self.path.startswith("/api/v1/nodes"):
            return self.reply(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "code": 404})
        if "watch=true" in self.path or "watch=1" in self.path:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            event = json.dumps({"type": "BOOKMARK", "object": {"apiVersion": "v1", "kind": "Node",
                                "metadata": {"resourceVersion": "2"}}}).encode() + b"\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.flush()
            time.sleep(600)
            return
        self.reply(200, {"apiVersion": "v1", "kind": "NodeList", "metadata": {"resourceVersion": "1"}, "items": [NODE]})
    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", 16443), Api).serve_forever()
EOF
    ip netns exec "$run-node" python3 "$work/apiserver.py" 2> "$work/apiserver.log" &
    api_pid=$!
    cat > "$work/kubeconfig" <<'EOF'
apiVersion: v1
kind: Config
clusters: [{name: jaot, cluster: {server: "http://127.0.0.1:16443"}}]
users: [{name: jaot, user: {token: jaot}}]
contexts: [{name: jaot, context: {cluster: jaot, user: jaot}}]
current-context: jaot
EOF
    agent_check kubernetes KUBECONFIG="$work/kubeconfig" -- --source kubernetes
    kill "$api_pid" 2> /dev/null || true; wait "$api_pid" 2> /dev/null || true; api_pid=
  else
    echo "agent --source kubernetes: SKIPPED, python3 (for the stand-in API server) is not installed"
  fi
  # --source etcd against an etcd of its own in the node namespace: gRPC, Netty and Vert.x.
  if command -v etcd > /dev/null; then
    ip netns exec "$run-node" etcd --name jaot --data-dir "$work/etcd" \
      --listen-client-urls http://127.0.0.1:23790 --advertise-client-urls http://127.0.0.1:23790 \
      --listen-peer-urls http://127.0.0.1:23800 --initial-advertise-peer-urls http://127.0.0.1:23800 \
      --initial-cluster jaot=http://127.0.0.1:23800 > "$work/etcd.log" 2>&1 &
    etcd_pid=$!
    agent_check etcd -- --source etcd:http://127.0.0.1:23790 --cluster-cidr 10.240.0.0/16
    kill "$etcd_pid" 2> /dev/null || true; wait "$etcd_pid" 2> /dev/null || true; etcd_pid=
  else
    echo "agent --source etcd: SKIPPED, etcd is not installed"
  fi

  step "removing namespaces"
  for n in node pod; do ip netns del "$run-$n"; done
fi

step "tarball"
# Modification times stay as they are: the launcher compares the jars' with the cache's.
rm -f "$tarball"
tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$tarball" jcni
echo "$tarball: $(du -h "$tarball" | cut -f1) (runtime $(du -sh "$home/runtime" | cut -f1)," \
  "cache $([ -f "$home/lib/jcni.aot" ] && du -h "$home/lib/jcni.aot" | cut -f1 || echo none))"
