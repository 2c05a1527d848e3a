#!/bin/sh
# make-pot.sh SRCDIR OUTPUT.pot
#
# Writes the message template: everything in po/POTFILES.in, extracted by
# xgettext with the keywords of meson's glib preset, plus the narration of
# every lesson in data/lessons/ (extracted by po/extract-lessons.py, since
# xgettext cannot read the lesson language). tests/data/check-i18n.sh and
# the forkscope-update-translations target both use this, so the test
# checks exactly what translators get.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

srcdir=$(cd "$1" && pwd)
output=$2
python=${PYTHON:-python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkscope-pot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir"

grep -v -e '^#' -e '^$' po/POTFILES.in >"$tmp/files"
xgettext --from-code=UTF-8 --add-comments=Translators \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format \
  --flag=g_print:1:c-format --flag=g_strdup_vprintf:1:c-format \
  --package-name=forkscope \
  --msgid-bugs-address=https://github.com/forkscope/forkscope/issues \
  --files-from="$tmp/files" --output="$tmp/sources.pot"

set -- data/lessons/*.forkscope
if [ -e "$1" ]; then
  "$python" po/extract-lessons.py "$tmp/lessons.pot" "$@"
  msgcat --use-first --to-code=UTF-8 "$tmp/sources.pot" "$tmp/lessons.pot" -o "$output"
else
  cp "$tmp/sources.pot" "$output"
fi
