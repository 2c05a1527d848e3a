#!/bin/sh
# check-install.sh BUILDDIR PREFIX [sandbox]
#
# Installs the build into a temporary DESTDIR, moves the installed tree
# somewhere else, and runs the installed forkscope-cli from there with no
# FORKSCOPE_* variables set: it must find its supervisor, worker host,
# plugins, lessons and translations relative to its own location.
#
# With "dbus" (under tests/run-with-display.sh), the installed D-Bus service
# file, pointed at the moved tree, must start the installed app on a private
# session bus when something calls org.freedesktop.Application.Activate, as
# GNOME Shell does for a DBusActivatable desktop file.
#
# With "sandbox", the installed tree is then run inside
# `bwrap --unshare-pid` (as Flatpak runs the app), with the source and build
# trees hidden, and tests/data/sandbox.forkscope (a zombie and an orphan,
# subreaper off) must pass there with the orphan going to bwrap's PID 1.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

builddir=$(cd "$1" && pwd)
prefix=$2
mode=${3:-plain}
here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)

fail () { echo "check-install: $*" >&2; exit 1; }
skip () { echo "check-install: skipped: $*" >&2; exit 77; }

if [ "$mode" = sandbox ]; then
  command -v bwrap >/dev/null 2>&1 || skip "bwrap is not installed"
  # Inside a Flatpak build sandbox or an unprivileged container bwrap cannot
  # make a PID namespace; say so rather than fail.
  pid=$(bwrap --unshare-pid --die-with-parent --ro-bind / / --proc /proc --dev /dev \
          sh -c 'echo $$' 2>/dev/null) || skip "bwrap cannot create a PID namespace here"
  [ "$pid" = 2 ] || fail "bwrap --unshare-pid: expected the command to be PID 2, got $pid"
fi

# Not under TMPDIR: meson test may point it into the build tree, which the
# sandbox run hides.
tmp=$(mktemp -d /tmp/forkscope-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Never "meson install" a tree that is being built: --no-rebuild, and meson
# test has built everything before it started this test.
meson install -C "$builddir" --destdir "$tmp/destdir" --no-rebuild --quiet \
  >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; fail "meson install failed"; }

[ -d "$tmp/destdir$prefix" ] || fail "nothing installed under DESTDIR$prefix"
mv "$tmp/destdir$prefix" "$tmp/moved"
root="$tmp/moved"

for f in bin/forkscope-cli share/metainfo/io.github.forkscope.Forkscope.metainfo.xml \
         share/glib-2.0/schemas/io.github.forkscope.Forkscope.gschema.xml \
         share/locale/zh_CN/LC_MESSAGES/forkscope.mo \
         share/man/man1/forkscope.1 share/man/man1/forkscope-cli.1; do
  [ -e "$root/$f" ] || fail "$f was not installed"
done
if [ -e "$root/bin/forkscope" ]; then
  for f in share/applications/io.github.forkscope.Forkscope.desktop \
           share/dbus-1/services/io.github.forkscope.Forkscope.service \
           share/icons/hicolor/scalable/apps/io.github.forkscope.Forkscope.svg \
           share/icons/hicolor/symbolic/apps/io.github.forkscope.Forkscope-symbolic.svg; do
    [ -e "$root/$f" ] || fail "$f was not installed"
  done
fi
ls "$root"/share/forkscope/lessons/*.forkscope >/dev/null 2>&1 || fail "no lessons installed"

# The front ends must not depend on the test environment.
for v in $(env | sed -n 's/^\(FORKSCOPE_[A-Za-z0-9_]*\)=.*/\1/p'); do
  unset "$v"
done
export XDG_DATA_HOME="$tmp/xdg-data" XDG_CONFIG_HOME="$tmp/xdg-config" XDG_CACHE_HOME="$tmp/xdg-cache"
cp "$here/sandbox.forkscope" "$tmp/"

cli="$root/bin/forkscope-cli"

if [ "$mode" = dbus ]; then
  app_id=io.github.forkscope.Forkscope
  [ -x "$root/bin/forkscope" ] || skip "the app is not built (-Dapp=false)"
  [ -n "${DISPLAY:-}" ] || fail "dbus mode needs a display: run it under tests/run-with-display.sh"
  mkdir "$tmp/services"
  sed "s|^Exec=$prefix/|Exec=$root/|" "$root/share/dbus-1/services/$app_id.service" \
    >"$tmp/services/$app_id.service"
  grep -qx "Exec=$root/bin/forkscope --gapplication-service" "$tmp/services/$app_id.service" ||
    { cat "$tmp/services/$app_id.service" >&2; fail "unexpected Exec line in the installed service file"; }
  glib-compile-schemas "$root/share/glib-2.0/schemas"
  cat >"$tmp/session.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$tmp</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$tmp/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  # The activated app inherits the bus's environment: the installed tree's
  # schemas, nothing from the build tree.
  unset GSETTINGS_SCHEMA_DIR
  export XDG_DATA_DIRS="$root/share:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  cat >"$tmp/activate.sh" <<'SCRIPT'
set -eu
obj=/io/github/forkscope/Forkscope
# Activation starts the service and waits (bounded) until it owns its name.
timeout 60 gdbus call --session --timeout 50 --dest "$1" --object-path $obj \
  --method org.freedesktop.Application.Activate '{}' >/dev/null
timeout 10 gdbus call --session --dest "$1" --object-path $obj \
  --method org.gtk.Actions.DescribeAll >"$2/actions.txt"
grep -q "'quit'" "$2/actions.txt" || { cat "$2/actions.txt" >&2; echo "no app.quit action" >&2; exit 1; }
timeout 10 gdbus call --session --dest "$1" --object-path $obj \
  --method org.freedesktop.Application.ActivateAction quit '[]' '{}' >/dev/null
# Quitting releases the name; wait for that, bounded.
i=0
while [ "$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.NameHasOwner "$1")" = "(true,)" ]; do
  i=$((i + 1))
  [ $i -le 100 ] || { echo "the app did not quit" >&2; exit 1; }
  sleep 0.1
done
SCRIPT
  dbus-run-session --config-file="$tmp/session.conf" -- sh "$tmp/activate.sh" "$app_id" "$tmp" ||
    fail "D-Bus activation of the installed app failed"
  echo "check-install: ok (the installed app starts by D-Bus activation and quits)"
  exit 0
fi

if [ "$mode" = plain ]; then
  "$cli" plugins >"$tmp/plugins.txt" 2>&1 || { cat "$tmp/plugins.txt" >&2; fail "forkscope-cli plugins failed"; }
  for fn in tutorial.sleep_print lifecycle.zombie lifecycle.orphan basics.exit; do
    grep -q "$fn" "$tmp/plugins.txt" || { cat "$tmp/plugins.txt" >&2; fail "installed plugins lack $fn"; }
  done

  # A plugin dropped in $XDG_DATA_HOME/forkscope/plugins is found and runs.
  mkdir -p "$XDG_DATA_HOME/forkscope/plugins"
  cp "$builddir/examples/example.so" "$XDG_DATA_HOME/forkscope/plugins/"
  "$cli" plugins >"$tmp/plugins.txt" 2>&1 || { cat "$tmp/plugins.txt" >&2; fail "forkscope-cli plugins failed"; }
  grep -q 'example.my_process' "$tmp/plugins.txt" ||
    { cat "$tmp/plugins.txt" >&2; fail "a plugin in \$XDG_DATA_HOME/forkscope/plugins is not listed"; }
  printf '%s\n' 'process m example.my_process value=installed times=1 interval=0' 'start m' 'join m 10' \
    'expect m exitcode == 0' 'expect m stdout ~ "installed"' >"$tmp/user-plugin.forkscope"
  "$cli" run "$tmp/user-plugin.forkscope" >"$tmp/user-plugin.log" 2>&1 ||
    { cat "$tmp/user-plugin.log" >&2; fail "the user plugin did not run from the installed tree"; }

  # Every installed lesson passes from the moved tree.
  for lesson in "$root"/share/forkscope/lessons/*.forkscope; do
    echo "check-install: $(basename "$lesson")"
    "$cli" run "$lesson" >"$tmp/lesson.log" 2>&1 ||
      { cat "$tmp/lesson.log" >&2; fail "installed lesson $(basename "$lesson") failed"; }
  done

  # The installed catalog is found relative to the moved tree.
  LANG=C.UTF-8 LC_ALL= LANGUAGE=zh_CN "$cli" --help >"$tmp/help.txt" 2>&1 || true
  # Any non-ASCII byte means a translation was used; a range like [一-龥]
  # is an invalid collation range under LC_ALL=C.UTF-8 (the test env).
  if ! LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/help.txt"; then
    cat "$tmp/help.txt" >&2
    fail "forkscope-cli --help shows no Chinese with LANGUAGE=zh_CN"
  fi
  echo "check-install: ok (installed into DESTDIR, moved, run from $root)"
  exit 0
fi

# The sandbox: the build and source trees are hidden, so nothing can come
# from there; only the moved install and the fixture are visible.
bwrap --unshare-pid --die-with-parent \
  --ro-bind / / --proc /proc --dev /dev \
  --tmpfs "$builddir" --tmpfs "$srcdir" \
  --bind "$tmp" "$tmp" --chdir "$tmp" \
  "$cli" run --json "$tmp/sandbox.forkscope" >"$tmp/sandbox.log" 2>&1 ||
  { cat "$tmp/sandbox.log" >&2; fail "the sandbox lesson failed inside bwrap --unshare-pid"; }
cat "$tmp/sandbox.log"
# The script's own expects passed; check the events say the same: the
# front end is the sandbox's PID 2, the orphan went to PID 1, which reaped it.
grep -q '"event":"policy","name":"forkscope-supervisor","pid":[0-9]*,"ppid":2,' "$tmp/sandbox.log" ||
  fail "the supervisor's parent is not the sandbox's PID 2"
grep -q '"event":"reparented",.*"to":1[,}]' "$tmp/sandbox.log" || fail "no reparenting to PID 1 reported"
grep -q '"event":"gone",.*"reaper":1[,}]' "$tmp/sandbox.log" || fail "PID 1 is not reported as the orphan's reaper"

# The installed zombie and orphan lessons pass in the sandbox too.
for lesson in zombie orphan; do
  bwrap --unshare-pid --die-with-parent \
    --ro-bind / / --proc /proc --dev /dev \
    --tmpfs "$builddir" --tmpfs "$srcdir" \
    --bind "$tmp" "$tmp" --chdir "$tmp" \
    "$cli" run "$root/share/forkscope/lessons/$lesson.forkscope" >"$tmp/$lesson.log" 2>&1 ||
    { cat "$tmp/$lesson.log" >&2; fail "the installed $lesson lesson failed inside bwrap --unshare-pid"; }
done
echo "check-install: ok (zombie and orphan inside bwrap --unshare-pid, orphan adopted by PID 1)"
