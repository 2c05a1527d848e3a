#!/bin/sh
# check-man.sh PAGE...
#
# Formats each man page with groff's warnings on; any warning fails.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

if ! command -v groff >/dev/null 2>&1; then
  echo "check-man: groff is not installed" >&2
  exit 77
fi
for page in "$@"; do
  out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)
  if [ -n "$out" ]; then
    echo "$out" >&2
    echo "check-man: $page has formatting problems" >&2
    exit 1
  fi
  grep -q '^\.SH NAME' "$page" || { echo "check-man: $page: no NAME section" >&2; exit 1; }
  echo "check-man: $page: ok"
done
