#!/bin/sh
# update-po.sh SRCDIR
#
# Regenerates po/forkscope.pot (po/make-pot.sh) and merges it into every
# language in po/LINGUAS. Run it as `meson compile -C BUILDDIR
# forkscope-update-translations`: unlike meson's own forkscope-update-po, it
# keeps the lesson narration in the catalogs.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

srcdir=$(cd "$1" && pwd)
"$srcdir/po/make-pot.sh" "$srcdir" "$srcdir/po/forkscope.pot"
for lang in $(grep -v '^#' "$srcdir/po/LINGUAS"); do
  msgmerge --quiet --update --backup=none --previous "$srcdir/po/$lang.po" "$srcdir/po/forkscope.pot"
  printf '%s: ' "$lang"
  msgfmt --check --statistics -o /dev/null "$srcdir/po/$lang.po"
done
