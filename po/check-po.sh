#!/bin/bash
# Checks the translations against the current source.
#
#   po/check-po.sh BUILDDIR
#
# Regenerates the message template in BUILDDIR/po-check/ (with exactly the
# xgettext command meson's casetrail-pot target uses, but writing into the
# build directory instead of po/), then fails when
#
#  (a) a tracked file under src/, ui/ or data/ has translatable strings but is
#      not listed in po/POTFILES.in (nor in po/POTFILES.skip), or a file listed
#      there does not exist;
#  (b) a translation in po/LINGUAS has untranslated or fuzzy messages against
#      the fresh template, or does not pass msgfmt --check.
#
# Messages xgettext truncates (a format macro such as G_GINT64_FORMAT inside
# _()) are reported as warnings: they can never be translated at run time.
#
# Nothing in the source tree is modified. Exit status: 0 pass, 1 fail,
# 77 skip (gettext tools missing), 2 usage.

set -u
set -o pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 BUILDDIR" >&2
  exit 2
fi

build_dir=$(cd "$1" && pwd)
source_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
po_dir="$source_root/po"
pkgname=casetrail

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool not found"
    exit 77
  fi
done

work="$build_dir/po-check"
rm -rf "$work"
mkdir -p "$work" || exit 1

# ---- the xgettext command of the casetrail-pot target -------------------------

xgettext=xgettext
datadirs=
extra_args=()
pot_cmd=
if command -v ninja >/dev/null 2>&1; then
  pot_cmd=$(ninja -C "$build_dir" -t commands "$pkgname-pot" 2>/dev/null | tail -n 1)
fi
if [[ "$pot_cmd" == *"gettext pot"* ]]; then
  read -r -a words <<<"$pot_cmd"
  for w in "${words[@]}"; do
    case "$w" in
      --xgettext=*)   xgettext=${w#--xgettext=} ;;
      --datadirs=*)   datadirs=${w#--datadirs=} ;;
      --extra-args=*) readarray -t extra_args < <(sed 's/@@/\n/g' <<<"${w#--extra-args=}") ;;
    esac
  done
else
  # Not a configured build dir with a pot target: use the glib preset by hand.
  echo "note: no $pkgname-pot target in $build_dir; using the i18n glib preset arguments"
  extra_args=(--from-code=UTF-8 --add-comments
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
    --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
    --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
    --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
    --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
    --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
    --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format
    --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format
    --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format)
fi
if [ -n "$datadirs" ]; then
  export GETTEXTDATADIRS="$datadirs"
fi

# run_xgettext OUTPUT -f LIST | FILE...   (paths relative to the source root)
run_xgettext() {
  local out=$1
  shift
  "$xgettext" --package-name="$pkgname" -D "$source_root" -k_ -o "$out" \
    "${extra_args[@]}" "$@"
}

# Prints "  location  msgid" for each message of a PO file on stdin (not the header).
list_messages() {
  awk '
    /^#: / { if (loc == "") loc = substr($0, 4) }
    /^msgctxt / { ctx = $0 " " }
    /^msgid "/ { id = substr($0, 7); cont = (id == "\"\""); if (!cont) emit() ; next }
    cont && /^"/ { id = $0; cont = 0; emit(); next }
    /^$/ { loc = ""; ctx = ""; cont = 0 }
    function emit() { if (loc != "") print "    " loc "  " ctx id; loc = ""; ctx = "" }
  '
}

failed=0
fail() {
  echo "FAIL: $*"
  failed=1
}

# ---- POTFILES.in ------------------------------------------------------------------

listed() {
  # the file names in POTFILES.in or POTFILES.skip: no comments, no blanks
  local f
  for f in "$po_dir/POTFILES.in" "$po_dir/POTFILES.skip"; do
    [ -f "$f" ] && sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$f"
  done
}

if [ ! -f "$po_dir/POTFILES.in" ]; then
  echo "FAIL: $po_dir/POTFILES.in is missing"
  exit 1
fi

while IFS= read -r f; do
  [ -f "$source_root/$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$po_dir/POTFILES.in")

if ! diff -q <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$po_dir/POTFILES.in") \
             <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$po_dir/POTFILES.in" | LC_ALL=C sort -u) >/dev/null; then
  echo "warning: po/POTFILES.in is not sorted (LC_ALL=C sort -u)"
fi

# ---- (a) tracked files with translatable strings must be listed -------------------

# Candidates: every tracked source file xgettext understands, except the data
# that is translated by other means (form templates and rule packs carry their
# own *_en fields; the help pages have their own translation).
untracked=
if git -C "$source_root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  tracked=$(git -C "$source_root" ls-files -- src ui data)
  untracked=$(git -C "$source_root" ls-files --others --exclude-standard -- src ui data)
else
  echo "note: not a git checkout; checking every file under src/, ui/ and data/"
  tracked=$(cd "$source_root" && find src ui data -type f | LC_ALL=C sort)
fi

listed_files=$(listed | LC_ALL=C sort -u)

# unlisted_with_strings FILES: prints "file (N messages)" for each file that
# has translatable strings and is in neither POTFILES.in nor POTFILES.skip.
unlisted_with_strings() {
  local f one n
  while IFS= read -r f; do
    [ -n "$f" ] && [ -f "$source_root/$f" ] || continue
    case "$f" in
      data/forms/*|data/rulepacks/*|data/calendars/*|data/icons/*) continue ;;
      *.c|*.h|*.ui|*.desktop.in|*.metainfo.xml.in|*.appdata.xml.in|*.gschema.xml|*.policy.in) ;;
      *) continue ;;
    esac
    if grep -qxF -- "$f" <<<"$listed_files"; then
      continue
    fi
    # A quick filter, then xgettext itself decides (a comment mentioning _()
    # is not a translatable string).
    case "$f" in
      *.c|*.h)
        grep -qE '\b(_|N_|C_|NC_|Q_|g_dgettext|g_dcgettext|g_dngettext|g_dpgettext2?|ngettext|dngettext)[[:space:]]*\(' \
          "$source_root/$f" || continue ;;
      *.ui)
        grep -q 'translatable="yes"' "$source_root/$f" || continue ;;
    esac
    one="$work/one.pot"
    rm -f "$one"
    run_xgettext "$one" "$f" 2>/dev/null
    if [ -s "$one" ] && grep -q '^msgid "' "$one"; then
      n=$(grep -c '^msgid ' "$one")
      echo "$f ($((n - 1)) messages)"
    fi
  done <<<"$1"
}

while IFS= read -r m; do
  [ -n "$m" ] && fail "$m has translatable strings but is not in po/POTFILES.in"
done < <(unlisted_with_strings "$tracked")
# Not yet committed: only a note, so that work in progress does not fail.
while IFS= read -r m; do
  [ -n "$m" ] && echo "note: untracked $m has translatable strings; add it to po/POTFILES.in when it is committed"
done < <(unlisted_with_strings "$untracked")

# ---- the template ------------------------------------------------------------------

pot="$work/$pkgname.pot"
if ! run_xgettext "$pot" -f "$po_dir/POTFILES.in" 2>"$work/xgettext.log"; then
  cat "$work/xgettext.log"
  fail "xgettext could not build the template"
  exit 1
fi
# xgettext truncates a msgid at a macro it does not know (G_GINT64_FORMAT...).
if grep -q 'ends in the middle of a directive' "$work/xgettext.log"; then
  echo "warning: these messages are cut off at a format macro inside _() and will never be"
  echo "         translated at run time (use a plain %s/%d, or <inttypes.h> PRId64):"
  grep 'ends in the middle of a directive' "$work/xgettext.log" | sed 's/: warning:.*//; s/^/           /'
fi
total=$(msgattrib --no-obsolete "$pot" 2>/dev/null | grep -c '^msgid ' || true)
echo "template: $((total - 1)) messages from $(listed | wc -l) files ($pot)"

# ---- (b) every translation complete ---------------------------------------------------

langs=$(sed -e 's/#.*//' "$po_dir/LINGUAS" 2>/dev/null | tr -s '[:space:]' '\n' | sed '/^$/d')
for lang in $langs; do
  po="$po_dir/$lang.po"
  if [ ! -f "$po" ]; then
    fail "po/LINGUAS names $lang, but po/$lang.po does not exist"
    continue
  fi
  merged="$work/$lang.po"
  if ! msgmerge --quiet --previous -o "$merged" "$po" "$pot"; then
    fail "msgmerge could not merge po/$lang.po"
    continue
  fi
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$merged" 2>&1); then
    echo "$stats"
    fail "po/$lang.po does not pass msgfmt --check"
    continue
  fi
  echo "$lang: $stats"
  untranslated=$(msgattrib --untranslated --no-obsolete --no-wrap "$merged" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too whenever it prints anything
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if [ "$untranslated" -gt 0 ]; then
    fail "po/$lang.po: $untranslated untranslated messages (msgmerge the template into it and translate):"
    msgattrib --untranslated --no-obsolete --no-wrap "$merged" |
      list_messages
  fi
  if [ "$fuzzy" -gt 0 ]; then
    fail "po/$lang.po: $fuzzy fuzzy messages (review them and remove the fuzzy flag):"
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" |
      list_messages
  fi
done

if [ "$failed" -ne 0 ]; then
  echo "po check failed; the merged files are in $work"
  exit 1
fi
echo "po check passed"
exit 0
