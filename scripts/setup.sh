#!/usr/bin/env bash
# One command for a fresh machine: installs everything, creates the demo
# database with the addon and its demo data, and starts Odoo on
# http://127.0.0.1:8069.
#
#   scripts/setup.sh             set up, then start Odoo (Ctrl+C stops it)
#   scripts/setup.sh --no-start  set up only (used by scripts/test.sh)
#
# Environment: ODOO_SRC (default /opt/odoo), IR_HOME (venv, config, data;
# default ~/.local/share/intervention_request), IR_DB (default
# intervention_demo), IR_DB_USER (default odoo_ir), IR_HTTP_PORT (8069),
# IR_LANG (language of a new demo database, default en_US; e.g. fr_FR),
# PGHOST / PGPORT (127.0.0.1:5432).
# It prints one line per step; what the installers and Odoo print goes to
# $IR_HOME/setup.log, which the message names when a step fails.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

start=1
for arg in "$@"; do
    case "$arg" in
    --no-start) start=0 ;;
    -h | --help) sed -n '2,16p' "$0"; exit 0 ;;
    *) die "Unknown option: $arg" "Usage: scripts/setup.sh [--no-start]" ;;
    esac
done

prepare_all
[ "$start" = 1 ] || { say "Set-up done (config: $ODOO_CONF)"; exit 0; }

ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
if db_exists "$IR_DB"; then
    say "Updating the addon in the database $IR_DB"
    logged "${ODOO[@]}" -d "$IR_DB" -u "$ADDON_NAME" --stop-after-init --log-level=warn ||
        die_logged "Updating $ADDON_NAME in $IR_DB failed."
elif [ "$IR_LANG" = en_US ]; then
    say "Creating the database $IR_DB with $ADDON_NAME and its demo data (about a minute)"
    logged "${ODOO[@]}" -d "$IR_DB" -i "$ADDON_NAME" --with-demo --stop-after-init --log-level=warn ||
        die_logged "Installing $ADDON_NAME in $IR_DB failed."
else
    # The language comes first, as when a database is created in that
    # language from Odoo's database manager: the addon's demo data is then
    # written in the administrator's language (see intervention.demo).
    say "Creating the database $IR_DB in $IR_LANG (about a minute)"
    logged "${ODOO[@]}" -d "$IR_DB" -i base --with-demo --load-language="$IR_LANG" \
        --stop-after-init --log-level=warn ||
        die_logged "Creating $IR_DB with the language $IR_LANG failed." \
            "IR_LANG takes an Odoo language code such as fr_FR, de_DE, es_ES."
    set_users_lang "$IR_DB" "$IR_LANG" || die_logged "Setting the users' language to $IR_LANG failed."
    say "Installing $ADDON_NAME and its demo data in $IR_DB"
    logged "${ODOO[@]}" -d "$IR_DB" -i "$ADDON_NAME" --stop-after-init --log-level=warn ||
        die_logged "Installing $ADDON_NAME in $IR_DB failed."
fi

cat <<MSG

  Odoo is starting on http://127.0.0.1:$IR_HTTP_PORT/odoo
  Database: $IR_DB      Log in: admin / admin
  Demo field technician: demo / demo
  Server log: $IR_HOME/odoo.log
  Stop with Ctrl+C; run this command again to start it again.

MSG
exec "${ODOO[@]}" -d "$IR_DB" --db-filter="^$IR_DB\$" --logfile="$IR_HOME/odoo.log"
