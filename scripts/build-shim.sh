#!/bin/sh
# scripts/build-shim.sh OUT_DIR: the plugin executable. Compiles the native shim (src/main/c/jcni-shim.c,
# static when the C library allows it) into OUT_DIR/jcni and puts the sh launcher next to it as
# OUT_DIR/jcni-java, which the shim runs for everything it does not hand to the agent (CLI, VERSION, no agent).
# Without a C compiler, OUT_DIR/jcni is the sh launcher itself (and so is jcni-java), and a note says so.
# Exits non-zero only when the shim does not compile or link.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 OUT_DIR" >&2; exit 2; }
out=$1
root=$(cd "$(dirname "$0")/.." && pwd -P)
src=$root/src/main/c/jcni-shim.c
launcher=$root/src/main/dist/bin/jcni
cc=${CC:-gcc}
cflags="-std=c11 -O2 -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla -D_FORTIFY_SOURCE=2 -fstack-protector-strong"

mkdir -p "$out"
work=$(mktemp -d "$out/.build-shim.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Every file goes in under a temporary name and is renamed: a runtime may be executing the old one.
install_file() { # SRC DEST
  cp "$1" "$work/next"
  chmod 755 "$work/next"
  mv -f "$work/next" "$2"
}

install_file "$launcher" "$out/jcni-java"

if ! command -v "$cc" >/dev/null 2>&1; then
  install_file "$launcher" "$out/jcni"
  echo "build-shim: no C compiler ($cc): $out/jcni is the sh launcher (every CNI call starts a JVM)" >&2
  exit 0
fi

# Compile first: an error here is the source's, and fails the build.
"$cc" $cflags -c "$src" -o "$work/shim.o"
# Link statically when the C library has a static archive (nothing to resolve at exec time), else dynamically.
if "$cc" -static -s "$work/shim.o" -o "$work/jcni" 2>"$work/static.err"; then
  :
else
  "$cc" -s "$work/shim.o" -o "$work/jcni"
  echo "build-shim: no static libc here, $out/jcni links dynamically against the system's: $(head -1 "$work/static.err")" >&2
fi
install_file "$work/jcni" "$out/jcni"
