#!/bin/sh
# check-example-build.sh BUILDDIR SRCDIR
#
# Builds examples/plugin/ out of tree, as a plugin author would: against
# the installed plugin SDK (forkscope-plugin.h and forkscope-plugin.pc,
# staged with `meson install --tags devel`), with its own meson.build. Then
# describes the result and runs its function through the real worker.
#
# Copyright 2026 The Forkscope authors
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
worker=${FORKSCOPE_WORKER:?FORKSCOPE_WORKER is not set}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail () {
  echo "check-example-build: $*" >&2
  exit 1
}

meson install -C "$build" --no-rebuild --quiet --tags devel --destdir "$tmp/stage" >/dev/null ||
  fail "cannot stage the plugin SDK"
pc=$(find "$tmp/stage" -name forkscope-plugin.pc)
[ -n "$pc" ] || fail "forkscope-plugin.pc was not installed"
[ -n "$(find "$tmp/stage" -path '*/include/forkscope/forkscope-plugin.h')" ] ||
  fail "forkscope-plugin.h was not installed in includedir/forkscope"
grep -q '^plugindir=' "$pc" || fail "forkscope-plugin.pc has no plugindir variable"

# pkg-config puts the staging dir in front of the -I paths.
export PKG_CONFIG_PATH="$(dirname "$pc")"
export PKG_CONFIG_SYSROOT_DIR="$tmp/stage"
unset PKG_CONFIG_LIBDIR || true

meson setup "$tmp/build" "$src/examples/plugin" -Dwerror=true >"$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log" >&2; fail "meson setup of examples/plugin failed"; }
meson compile -C "$tmp/build" >"$tmp/compile.log" 2>&1 ||
  { cat "$tmp/compile.log" >&2; fail "building examples/plugin failed"; }
[ -f "$tmp/build/example.so" ] || fail "no example.so was built"

"$worker" --describe "$tmp/build/example.so" >"$tmp/describe" ||
  fail "forkscope-worker --describe refused the example"
grep -q "'my_process'" "$tmp/describe" || fail "the description has no my_process: $(cat "$tmp/describe")"

out=$("$worker" --run "$tmp/build/example.so" example.my_process -- value=hi times=2 interval=0 </dev/null) ||
  fail "running example.my_process failed"
[ "$(printf '%s\n' "$out" | grep -c '^hi [0-9][0-9]*$')" = 2 ] ||
  fail "unexpected output from example.my_process: $out"

echo "check-example-build: ok"
