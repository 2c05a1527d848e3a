#!/bin/sh
# validate-metainfo.sh METAINFO SRCDIR
#
# appstreamcli validate --no-net, failing on every error and warning, and on
# every info except the ones listed here with the reason we keep them. The
# screenshots it names must be in data/screenshots/ (their URLs point at
# that folder on the main branch) once that folder exists.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

metainfo=$1
srcdir=$2
out=$(appstreamcli validate --no-net --pedantic "$metainfo" 2>&1) || {
  echo "$out"
  echo "validate-metainfo: appstreamcli rejected $metainfo" >&2
  exit 1
}
echo "$out"

# AppStream 1.0 wants <developer>; Debian 12's 0.16 does not know it yet and
# reports it as an info. We ship it (and <developer_name> for 0.16).
# The component id is the app id, which has capitals by design (pedantic).
unexpected=$(echo "$out" | grep -E '^[EWI]: ' |
  grep -v -E '^I: [^ ]+:[0-9]+: unknown-tag developer$' || true)
if [ -n "$unexpected" ]; then
  echo "validate-metainfo: issues to fix:" >&2
  echo "$unexpected" >&2
  exit 1
fi

if [ -d "$srcdir/data/screenshots" ]; then
  for url in $(sed -n 's|.*<image>\(.*\)</image>.*|\1|p' "$metainfo"); do
    case "$url" in
      https://github.com/forkscope/forkscope/raw/main/data/screenshots/*.png) ;;
      *) echo "validate-metainfo: screenshot $url is not in data/screenshots on main" >&2; exit 1 ;;
    esac
    name=${url##*/}
    [ -f "$srcdir/data/screenshots/$name" ] ||
      { echo "validate-metainfo: data/screenshots/$name is missing" >&2; exit 1; }
  done
else
  echo "validate-metainfo: data/screenshots/ does not exist yet; screenshot files not checked"
fi
