#!/bin/sh
# build-aux/dev.sh run|test|build
#
#   run   install what is missing, build, and launch Forkscope from the build tree
#   test  install what is missing, build with -Dwerror=true, run every test
#         (GUI tests start their own Xvfb and D-Bus session), and end with a
#         plain "N passed, N failed" line
#   build install what is missing and build
#
# Debian 12, as root (or with sudo available). Safe to run again: it installs
# only what is missing and reuses the build directory.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/.."
builddir=${FORKSCOPE_BUILDDIR:-_build}

packages="build-essential meson ninja-build pkg-config gettext itstool
libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
librsvg2-common desktop-file-utils appstream xvfb dbus dbus-daemon
bubblewrap fonts-cantarell fonts-noto-cjk adwaita-icon-theme
python3 groff-base"

install_missing () {
  missing=
  for p in $packages; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed'; then
      missing="$missing $p"
    fi
  done
  [ -z "$missing" ] && return 0
  echo "dev.sh: installing:$missing"
  sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  # shellcheck disable=SC2086
  $sudo apt-get install -y -q --no-install-recommends $missing
}

configure () {
  if [ -f "$builddir/build.ninja" ]; then
    meson configure "$builddir" "$@" >/dev/null
  else
    meson setup "$builddir" "$@"
  fi
  meson compile -C "$builddir"
}

cmd=${1:-run}
case "$cmd" in
  build)
    install_missing
    configure
    ;;
  run)
    shift || true
    install_missing
    configure
    exec meson devenv -C "$builddir" forkscope "$@"
    ;;
  test)
    install_missing
    configure -Dwerror=true
    set +e
    meson test -C "$builddir" --print-errorlogs --num-processes 2 -t 2
    status=$?
    set -e
    # CI reads a plain summary line, not meson's own.
    log="$builddir/meson-logs/testlog.json"
    passed=$(grep -c '"result": "OK"' "$log" || true)
    skipped=$(grep -c '"result": "SKIP"' "$log" || true)
    total=$(grep -c '"result":' "$log" || true)
    failed=$((total - passed - skipped))
    echo "$passed passed, $failed failed, $skipped skipped"
    exit $status
    ;;
  *)
    echo "usage: $0 run|test|build" >&2
    exit 2
    ;;
esac
