#!/bin/sh
# check-desktop.sh DESKTOP-FILE SERVICE-FILE
#
# desktop-file-validate, plus what it cannot know: the desktop file is
# D-Bus activatable, so a service file with the same name must exist and
# start the app as a GApplication service; and the merged file must carry
# the Chinese translation.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

desktop=$1
service=$2
fail () { echo "check-desktop: $*" >&2; exit 1; }

out=$(desktop-file-validate "$desktop" 2>&1) || { echo "$out"; fail "desktop-file-validate failed"; }
# Hints (such as "more than one main category", which we want) are fine;
# warnings and errors are not.
if echo "$out" | grep -E ': (warning|error): '; then
  fail "desktop-file-validate reported problems"
fi
[ -z "$out" ] || echo "$out"

grep -qx 'DBusActivatable=true' "$desktop" || fail "not DBusActivatable"
grep -qx 'StartupNotify=true' "$desktop" || fail "no StartupNotify"
grep -qx 'Icon=io.github.forkscope.Forkscope' "$desktop" || fail "wrong icon name"
grep -q '^Name\[zh_CN\]=' "$desktop" || fail "no Chinese name (translations not merged)"
grep -q '^Keywords\[zh_CN\]=.*进程;' "$desktop" || fail "no Chinese keywords"
grep -q '^Comment\[zh_CN\]=' "$desktop" || fail "no Chinese comment"

[ "$(basename "$service")" = "io.github.forkscope.Forkscope.service" ] ||
  fail "the service file must be named after the app id"
grep -qx '\[D-BUS Service\]' "$service" || fail "$service: no [D-BUS Service] group"
grep -qx 'Name=io.github.forkscope.Forkscope' "$service" || fail "$service: wrong Name"
grep -qE '^Exec=/.*/forkscope --gapplication-service$' "$service" ||
  fail "$service: Exec must be the absolute path of forkscope --gapplication-service"
echo "check-desktop: ok"
