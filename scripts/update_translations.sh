#!/usr/bin/env bash
# Regenerates i18n/intervention_request.pot from the code with Odoo's own
# exporter (odoo-bin i18n export) and merges it into i18n/fr.po.
# Works in a throw-away database, dropped on exit; safe to run repeatedly.
#
#   scripts/update_translations.sh
#
# Then translate the new (empty) entries of i18n/fr.po and check with
#   scripts/check_translations.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POT="$REPO_DIR/i18n/$ADDON_NAME.pot"
PO="$REPO_DIR/i18n/fr.po"

[ -x "$VENV/bin/python" ] || die "No virtualenv in $VENV." "Run scripts/setup.sh --no-start first."
ensure_gettext
ensure_config

say "Exporting the template to ${POT#"$REPO_DIR"/}"
export_translation_template "$POT"
say "Template: $(grep -c '^msgid ' "$POT") msgid (header included)"

if [ -f "$PO" ]; then
    say "Merging the template into ${PO#"$REPO_DIR"/}"
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$PO" "$POT"
    # Strings removed from the code leave no obsolete entries behind.
    msgattrib --no-obsolete -o "$PO" "$PO"
    say "fr.po: $(po_count --untranslated "$PO") untranslated, $(po_count --only-fuzzy "$PO") fuzzy entries"
else
    say "No ${PO#"$REPO_DIR"/} yet: create it from the template (msginit -l fr -i $POT -o $PO)."
fi
