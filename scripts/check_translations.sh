#!/usr/bin/env bash
# Checks that i18n/intervention_request.pot is current (the same entries as a
# fresh export by Odoo) and that i18n/fr.po translates every one of them,
# with no fuzzy entry and valid placeholders. Exits 1 with the difference.
#
#   scripts/check_translations.sh
# Fix with scripts/update_translations.sh, then translate what it reports.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POT="$REPO_DIR/i18n/$ADDON_NAME.pot"
PO="$REPO_DIR/i18n/fr.po"
[ -f "$POT" ] && [ -f "$PO" ] || die "No ${POT#"$REPO_DIR"/} or ${PO#"$REPO_DIR"/}."
ensure_gettext
ensure_config

work="$(mktemp -d "${TMPDIR:-/tmp}/ir_i18n_check_XXXXXX")"
trap 'rm -rf "$work"' EXIT
export_translation_template "$work/fresh.pot"

# Compare the entries (comments, references, msgid), not the header's dates.
strip_header() { awk 'BEGIN { body = 0 } body { print } /^$/ { body = 1 }' "$1"; }
strip_header "$work/fresh.pot" >"$work/fresh.body"
strip_header "$POT" >"$work/committed.body"
failed=0
if ! diff -u "$work/committed.body" "$work/fresh.body" >"$work/pot.diff"; then
    echo "FAIL: ${POT#"$REPO_DIR"/} is not current; run scripts/update_translations.sh" >&2
    head -40 "$work/pot.diff" >&2
    failed=1
fi
# Every msgid of the fresh template must be in fr.po ...
if ! msgcmp --use-untranslated "$PO" "$work/fresh.pot" 2>"$work/msgcmp.log"; then
    echo "FAIL: i18n/fr.po lacks entries of the template:" >&2
    head -20 "$work/msgcmp.log" >&2
    failed=1
fi
# ... translated, not fuzzy, with the same placeholders.
untranslated="$(po_count --untranslated "$PO")"
fuzzy="$(po_count --only-fuzzy "$PO")"
if [ "$untranslated" != 0 ] || [ "$fuzzy" != 0 ]; then
    echo "FAIL: i18n/fr.po has $untranslated untranslated and $fuzzy fuzzy entries" >&2
    msgattrib --untranslated --no-obsolete "$PO" | grep -A1 '^msgid ' | head -20 >&2
    failed=1
fi
msgfmt --check-format -o /dev/null "$PO" || {
    echo "FAIL: i18n/fr.po has invalid placeholders (msgfmt --check-format)" >&2
    failed=1
}
[ "$failed" = 0 ] || exit 1
say "translations: template current, fr.po $(grep -c '^msgid ' "$PO") entries, all translated"
