#!/bin/sh
# run-with-display.sh COMMAND [ARGS...]
#
# Runs COMMAND with its own Xvfb and its own D-Bus session bus, then stops
# both. Xvfb chooses a free display itself (-displayfd), so parallel tests
# never collide, and nothing here needs xauth or an existing display.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

here=$(dirname "$0")

# The GNOME SDK has no Xvfb, so GUI tests cannot run in a Flatpak build's
# run-tests: skip them there (meson counts exit 77 as skipped) rather than
# fail. build-aux/dev.sh installs Xvfb everywhere else.
if ! command -v Xvfb >/dev/null 2>&1; then
  echo "run-with-display: Xvfb is not installed; skipping $1" >&2
  # A TAP test (a GTest run with --tap) is skipped by an empty plan; any
  # other test by exit status 77.
  for arg in "$@"; do
    if [ "$arg" = --tap ]; then
      echo "1..0 # SKIP Xvfb is not installed"
      exit 0
    fi
  done
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkscope-xvfb.XXXXXX")
xvfb_pid=
cleanup () {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

mkfifo "$tmp/displayfd"
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset \
  3>"$tmp/displayfd" >"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
read -r display <"$tmp/displayfd"
if [ -z "$display" ]; then
  echo "run-with-display: Xvfb did not start:" >&2
  cat "$tmp/xvfb.log" >&2
  exit 99
fi
export DISPLAY=":$display"
unset WAYLAND_DISPLAY

# XDG_RUNTIME_DIR must exist and be private for GTK and D-Bus.
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"

set +e
dbus-run-session --config-file="$here/session.conf" -- "$@"
status=$?
set -e
exit $status
