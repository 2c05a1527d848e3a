#!/bin/sh
# check-i18n.sh SRCDIR
#
# Fails when a translatable string is missing from the Chinese catalog:
#  1. po/POTFILES.in is sorted, and every file it lists exists;
#  2. every source file with translatable strings is listed in it;
#  3. the template regenerated from the sources and the lessons (by
#     po/make-pot.sh, as `meson compile forkscope-update-translations` does)
#     has no msgid that po/zh_CN.po lacks, leaves untranslated or marks
#     fuzzy;
#  4. every language in LINGUAS compiles with `msgfmt --check` and reports
#     no untranslated or fuzzy message.
#
# To fix a failure: meson compile -C BUILDDIR forkscope-update-translations,
# then translate the new entries in po/zh_CN.po.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

srcdir=$(cd "$1" && pwd)
po="$srcdir/po"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkscope-i18n.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
fail () { echo "check-i18n: $*" >&2; status=1; }

cd "$srcdir"

# 1. POTFILES.in: sorted, no duplicates, nothing stale.
grep -v -e '^#' -e '^$' po/POTFILES.in >"$tmp/listed"
LC_ALL=C sort -u "$tmp/listed" >"$tmp/listed.sorted"
if ! cmp -s "$tmp/listed" "$tmp/listed.sorted"; then
  fail "po/POTFILES.in is not sorted (LC_ALL=C) or has duplicates:"
  diff "$tmp/listed.sorted" "$tmp/listed" >&2 || true
fi
while read -r f; do
  [ -f "$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done <"$tmp/listed"

# 2. Every file with translatable strings is listed: xgettext itself reads
# every C file and .ui template under src/, and each file it takes a
# message from must be in POTFILES.in.
xgettext_args="--from-code=UTF-8 --add-comments=Translators
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format --flag=g_printerr:1:c-format
  --flag=g_print:1:c-format --flag=g_strdup_vprintf:1:c-format"
find src -name '*.c' -o -name '*.h' -o -name '*.ui' | LC_ALL=C sort >"$tmp/all-sources"
# shellcheck disable=SC2086
xgettext $xgettext_args --directory="$srcdir" --files-from="$tmp/all-sources" \
  --output="$tmp/all.pot" 2>"$tmp/all.log" || { cat "$tmp/all.log" >&2; fail "xgettext failed on the sources"; }
{
  if [ -f "$tmp/all.pot" ]; then
    sed -n 's/^#: //p' "$tmp/all.pot" | tr ' ' '\n' | sed 's/:[0-9]*$//'
  fi
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null
} | grep -v '^$' | LC_ALL=C sort -u >"$tmp/needed"
missing=$(LC_ALL=C comm -23 "$tmp/needed" "$tmp/listed.sorted")
if [ -n "$missing" ]; then
  fail "files with translatable strings missing from po/POTFILES.in:"
  echo "$missing" >&2
fi

# 3. Regenerate the template exactly as translators get it (sources and
# lesson narration), into $tmp.
"$srcdir/po/make-pot.sh" "$srcdir" "$tmp/forkscope.pot"
echo "check-i18n: $(grep -c '^msgid ' "$tmp/forkscope.pot") entries in the regenerated template"

for lang in $(grep -v '^#' po/LINGUAS); do
  if [ ! -f "po/$lang.po" ]; then
    fail "po/$lang.po is missing"
    continue
  fi
  # msgcmp fails on a msgid the catalog lacks, or has untranslated or fuzzy.
  if ! msgcmp "po/$lang.po" "$tmp/forkscope.pot" 2>"$tmp/msgcmp.$lang"; then
    fail "po/$lang.po does not translate every string in the sources:"
    # Name the strings, not lines of a temporary template.
    msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/forkscope.pot" -o "$tmp/merged.$lang.po"
    { msgattrib --untranslated --no-obsolete "$tmp/merged.$lang.po"
      msgattrib --only-fuzzy --no-obsolete "$tmp/merged.$lang.po"; } |
      grep -E '^(#:|msgid|")' | grep -v -E '^(msgid ""|"[A-Z][A-Za-z-]+: .*\\n")$' >&2 || true
  fi

  # 4. The catalog compiles, and is complete.
  if ! stats=$(msgfmt --check --statistics -o /dev/null "po/$lang.po" 2>&1); then
    fail "po/$lang.po does not compile: $stats"
  else
    echo "check-i18n: $lang: $stats"
    case "$stats" in
      *untranslated*|*fuzzy*) fail "po/$lang.po is incomplete: $stats" ;;
      *) ;;
    esac
  fi
done

[ "$status" -eq 0 ] && echo "check-i18n: ok"
exit "$status"
