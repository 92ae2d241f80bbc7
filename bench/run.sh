#!/usr/bin/env bash
# Run one benchmark script of bench/ in a scratch database and drop it.
#   bench/run.sh sla_bench.py [ARGS as environment, e.g. BENCH_REQUESTS=10000]
# The script runs inside `odoo-bin shell` (env, odoo available) and prints
# its figures; nothing is committed to any other database.
# BENCH_PEER=1 also installs the peer, OCA's helpdesk_mgmt_sla 19.0 (pip,
# from the package registry, into $IR_HOME/bench_peer, once), in the same
# database: the scripts that know it print its figures side by side.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/peer.sh"
SCRIPT="${1:?usage: bench/run.sh SCRIPT.py}"
[ -f "$REPO_DIR/bench/$SCRIPT" ] || die "No bench/$SCRIPT."
prepare_all >/dev/null
DB="ir_bench_$$"
# BENCH_KEEP_DB=1 keeps the scratch database, to look into it afterwards.
cleanup() {
    if [ -n "${BENCH_KEEP_DB:-}" ]; then
        say "Kept the scratch database $DB (dropdb $DB when done)"
        return
    fi
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$DB" 2>/dev/null || true
}
trap cleanup EXIT
MODULES="$ADDON_NAME"
ADDONS_PATH="$ODOO_SRC/addons,$ADDONS_LINK_DIR"
if [ -n "${BENCH_PEER:-}" ]; then
    ensure_peer
    MODULES="$MODULES,helpdesk_mgmt_sla"
    ADDONS_PATH="$ADDONS_PATH,$PEER_DIR/odoo/addons"
fi
say "Installing $MODULES in the scratch database $DB"
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" -i "$MODULES" \
    --addons-path "$ADDONS_PATH" --stop-after-init \
    --http-port $((20000 + $$ % 1000)) --log-level=warn ||
    die "Installing the addon failed."
say "Running bench/$SCRIPT"
BENCH_DIR="$REPO_DIR/bench" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$DB" \
    --addons-path "$ADDONS_PATH" \
    --http-port $((21000 + $$ % 1000)) --log-level=warn <"${BENCH_SCRIPT_FILE:-$REPO_DIR/bench/$SCRIPT}"
