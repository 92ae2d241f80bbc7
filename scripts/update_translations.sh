#!/usr/bin/env bash
# Regenerates i18n/intervention_request.pot from the code with Odoo's own
# exporter (odoo-bin i18n export) and merges it into i18n/fr.po.
# Works in a throw-away database, dropped on exit; safe to run repeatedly.
#
#   scripts/update_translations.sh
#
# Then translate the new (empty) entries of i18n/fr.po and check with
#   msgfmt --check-format -o /dev/null i18n/fr.po
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

POT="$REPO_DIR/i18n/$ADDON_NAME.pot"
PO="$REPO_DIR/i18n/fr.po"
DB="ir_i18n_$$_$(date +%s)"
PORT="${IR_I18N_HTTP_PORT:-$((19000 + $$ % 1000))}"
LOG="$(mktemp "${TMPDIR:-/tmp}/ir_i18n_XXXXXX.log")"
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin")

[ -x "$VENV/bin/python" ] || die "No virtualenv in $VENV." "Run scripts/setup.sh --no-start first."
if [ -f "$PO" ] && ! command -v msgmerge >/dev/null 2>&1; then
    die "msgmerge is missing: it is needed to merge the template into $PO." \
        "Debian: apt-get update -qq && apt-get install -y -qq gettext"
fi

cleanup() {
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$DB" 2>/dev/null || true
    rm -f "$LOG"
}
trap cleanup EXIT

ensure_config

say "Installing $ADDON_NAME (no demo data) in the scratch database $DB"
if ! "${ODOO[@]}" -c "$ODOO_CONF" -d "$DB" -i "$ADDON_NAME" --http-port "$PORT" \
    --stop-after-init --log-level=warn >"$LOG" 2>&1; then
    cat "$LOG" >&2
    die "Installing $ADDON_NAME in $DB failed (see the log above)."
fi

say "Exporting the template to ${POT#"$REPO_DIR"/}"
"${ODOO[@]}" i18n export -c "$ODOO_CONF" -d "$DB" -o "$POT" "$ADDON_NAME" >"$LOG" 2>&1 || {
    cat "$LOG" >&2
    die "odoo-bin i18n export failed (see the log above)."
}
[ -s "$POT" ] || die "The exported template $POT is empty."
say "Template: $(grep -c '^msgid ' "$POT") msgid (header included)"

if [ -f "$PO" ]; then
    say "Merging the template into ${PO#"$REPO_DIR"/}"
    msgmerge --quiet --update --no-fuzzy-matching --backup=none "$PO" "$POT"
    # Strings removed from the code leave no obsolete entries behind.
    msgattrib --no-obsolete -o "$PO" "$PO"
    untranslated="$(msgattrib --untranslated --no-obsolete "$PO" | grep -c '^msgid ' || true)"
    fuzzy="$(msgattrib --only-fuzzy --no-obsolete "$PO" | grep -c '^msgid ' || true)"
    # msgattrib prints the header (msgid "") with any non-empty selection.
    say "fr.po: $(( untranslated > 0 ? untranslated - 1 : 0 )) untranslated, $(( fuzzy > 0 ? fuzzy - 1 : 0 )) fuzzy entries"
else
    say "No ${PO#"$REPO_DIR"/} yet: create it from the template (msginit -l fr -i $POT -o $PO)."
fi
