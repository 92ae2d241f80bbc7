#!/usr/bin/env bash
# Run one benchmark script of bench/ in a scratch database and drop it.
#   bench/run.sh sla_bench.py [ARGS as environment, e.g. BENCH_REQUESTS=10000]
# The script runs inside `odoo-bin shell` (env, odoo available) and prints
# its figures; nothing is committed to any other database.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
SCRIPT="${1:?usage: bench/run.sh SCRIPT.py}"
[ -f "$REPO_DIR/bench/$SCRIPT" ] || die "No bench/$SCRIPT."
prepare_all >/dev/null
DB="ir_bench_$$"
cleanup() { dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$DB" 2>/dev/null || true; }
trap cleanup EXIT
say "Installing $ADDON_NAME in the scratch database $DB"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" -i "$ADDON_NAME" \
    --stop-after-init --http-port $((20000 + $$ % 1000)) --log-level=warn ||
    die "Installing the addon failed."
say "Running bench/$SCRIPT"
BENCH_DIR="$REPO_DIR/bench" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$DB" \
    --http-port $((21000 + $$ % 1000)) --log-level=warn <"$REPO_DIR/bench/$SCRIPT"
