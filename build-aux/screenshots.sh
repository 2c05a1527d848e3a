#!/bin/sh
# build-aux/screenshots.sh [BUILDDIR]
#
# Takes the screenshots in data/screenshots/ (used by the README and the
# metainfo) of the real app built in BUILDDIR (default: _build, as dev.sh
# builds it), under its own Xvfb and private D-Bus session
# (tests/run-with-display.sh). The app is driven from outside the way a user
# or a script would: `gapplication action` for what the app exports, and
# xdotool for clicks. Run it by hand after changing the UI, then LOOK at the
# pictures before committing them. Not part of the test suite.
#
# Each scene starts a fresh app with its own settings (a keyfile backend in
# a temporary folder) and its own saved workers.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/.."
srcdir=$(pwd)
builddir=$(cd "${1:-_build}" && pwd)
out="$srcdir/data/screenshots"
app_id=io.github.forkscope.Forkscope

if [ "${FORKSCOPE_SCREENSHOTS_INSIDE:-}" != 1 ]; then
  # Outside: make sure the tools and the build are there, then run again
  # inside a display of our own.
  for p in imagemagick xdotool; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed'; then
      missing="${missing:-} $p"
    fi
  done
  if [ -n "${missing:-}" ]; then
    echo "screenshots: installing:$missing"
    sudo=
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $missing
  fi
  meson compile -C "$builddir" >/dev/null
  mkdir -p "$out"
  FORKSCOPE_SCREENSHOTS_INSIDE=1 exec "$srcdir/tests/run-with-display.sh" "$0" "$builddir"
fi

# ---- inside Xvfb (1280×800) and a private session bus ------------------

tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkscope-shots.XXXXXX")
app_pid=
cleanup () {
  if [ -n "$app_pid" ]; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

export GSK_RENDERER=cairo GTK_A11Y=none NO_AT_BRIDGE=1
export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=keyfile
export FORKSCOPE_SUPERVISOR="$builddir/src/supervisor/forkscope-supervisor"
export FORKSCOPE_WORKER="$builddir/src/worker/forkscope-worker"
export FORKSCOPE_PLUGINDIR="$builddir/src/plugins"
export FORKSCOPE_LESSONDIR="$srcdir/data/lessons"
export FORKSCOPE_LOCALEDIR="$builddir/po"
export FORKSCOPE_PLUGIN_PATH=
export LANG=C.UTF-8

# start_app NAME [SETTING=VALUE...]: a fresh app with these settings.
start_app () {
  scene=$1
  shift
  export XDG_CONFIG_HOME="$tmp/$scene/config" XDG_DATA_HOME="$tmp/$scene/data"
  mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings" "$XDG_DATA_HOME"
  {
    echo "[io/github/forkscope/Forkscope]"
    for kv in "$@"; do
      echo "$kv"
    done
  } >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
  "$builddir/src/app/forkscope" >"$tmp/$scene.log" 2>&1 &
  app_pid=$!
  gdbus wait --session --timeout 20 "$app_id"
  # The first frame, and the plugins described.
  sleep 2
  main_window=$(xdotool search --onlyvisible --pid "$app_pid" | head -n 1)
}

# The newest visible window of the app other than the main one.
other_window () {
  for w in $(xdotool search --onlyvisible --pid "$app_pid"); do
    [ "$w" = "$main_window" ] || echo "$w"
  done | tail -n 1
}

stop_app () {
  gapplication action "$app_id" kill-all || true
  sleep 1
  gapplication action "$app_id" quit || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=
}

# The first run saves the tutorial's th1, th2 and th3: a spawn under one
# of those names with other values would get a new name (th1-2) and a toast
# saying so, hence names of their own here.
spawn () {
  gapplication action "$app_id" spawn "'$1'"
}

# shoot FILE WIDTH HEIGHT: the top-left of the screen, where the window is
# (there is no window manager to move it).
shoot () {
  sleep 1
  import -window root -crop "$2x$3+0+0" +repage "$out/$1"
  echo "screenshots: wrote data/screenshots/$1"
}

# click X Y: a left click at window coordinates.
click () {
  xdotool mousemove "$1" "$2" click 1
  xdotool mousemove 1270 790
}

common="window-width=1180 window-height=720 timeline-visible=false"

# The tree: workers, a zombie waiting for its parent, an orphan adopted by
# the supervisor, a reaped tombstone; the zombie selected.
scene_tree () {
  # shellcheck disable=SC2086
  start_app tree $common bottom-pane-position=430
  spawn "eat tutorial.sleep_print seconds=60 message=EAT"
  spawn "z1 lifecycle.zombie seconds=60"
  spawn "o1 lifecycle.orphan seconds=60"
  spawn "d1 tutorial.sleep_print daemon seconds=60"
  spawn "t1 lifecycle.tree depth=1 fanout=2 seconds=60"
  sleep 3
  # The third row: z1, whose child is the zombie.
  click 420 175
  shoot tree.png 1180 720
  stop_app
}

# The worker form, for a function with parameters of several kinds.
scene_form () {
  # shellcheck disable=SC2086
  start_app form $common
  # The sidebar's "New Worker" button.
  click 197 75
  sleep 2
  id=$(other_window)
  if [ -z "$id" ]; then
    echo "screenshots: the New Worker dialog did not open" >&2
    stop_app
    return 1
  fi
  # Search for a function whose parameters are of several kinds, and
  # pick it with Enter (the best match; the dialog is at the top-left
  # corner).
  click 270 136
  xdotool type --delay 50 "exit_kinds"
  sleep 1
  xdotool key Return
  sleep 1
  import -window "$id" "$out/form.png"
  echo "screenshots: wrote data/screenshots/form.png"
  stop_app
}

# Output: two workers printing, one of them on stderr, every process shown.
scene_output () {
  # shellcheck disable=SC2086
  start_app output $common bottom-pane-position=250
  spawn "eat tutorial.sleep_print seconds=0.5 message=EAT"
  spawn "fork tutorial.fork_test child_sleep=0.5 parent_sleep=1"
  spawn "out basics.print lines=1000 interval=0.02"
  spawn "err basics.print lines=500 interval=0.04 stream=stderr"
  sleep 4
  shoot output.png 1180 720
  stop_app
}

# The same tree, in Simplified Chinese.
scene_chinese () {
  # shellcheck disable=SC2086
  LANGUAGE=zh_CN start_app chinese $common bottom-pane-position=430
  spawn "eat tutorial.sleep_print seconds=60 message=EAT"
  spawn "z1 lifecycle.zombie seconds=60"
  spawn "o1 lifecycle.orphan seconds=60"
  sleep 3
  click 420 193
  shoot chinese.png 1180 720
  stop_app
}

# The timeline scenes play a lesson to its end: then the whole story is on
# the timeline, which stands still on it. The pointer is moved away, so no
# tooltip covers it.
play_lesson () {
  gapplication action "$app_id" run-lesson "'$srcdir/data/lessons/$1.forkscope'"
}

# The zombie lesson: z's child a zombie until z dies and the supervisor
# adopts and reaps it; then w a zombie (reap on join) until it is joined.
scene_timeline_zombie () {
  start_app timeline-zombie window-width=1180 window-height=720 timeline-visible=true \
    bottom-pane-position=640 timeline-pane-position=100 sidebar-width=200
  play_lesson zombie
  sleep 7
  xdotool mousemove 1270 790
  shoot timeline-zombie.png 1180 720
  stop_app
}

# The orphan lesson: o's child adopted by the supervisor, which reaps it;
# then, with the subreaper off, p's child adopted by PID 1, a zombie until
# PID 1 reaps it.
scene_timeline_orphan () {
  start_app timeline-orphan window-width=1180 window-height=720 timeline-visible=true \
    bottom-pane-position=640 timeline-pane-position=100 sidebar-width=200
  play_lesson orphan
  sleep 9
  xdotool mousemove 1270 790
  shoot timeline-orphan.png 1180 720
  stop_app
}

for scene in ${FORKSCOPE_SCENES:-tree form output chinese timeline_zombie timeline_orphan}; do
  "scene_$scene"
done
