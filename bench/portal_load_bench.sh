#!/usr/bin/env bash
# Portal under load (issue 19, point 3), side by side with the peer.
#   bench/portal_load_bench.sh   [BENCH_REQUESTS=5000 BENCH_CLIENTS=8
#                                 BENCH_SECONDS=20 BENCH_ROUNDS=2
#                                 BENCH_HTTP_PORT=...]
# One scratch database with the addon and the peer (OCA helpdesk_mgmt_sla
# 19.0, bench/peer.sh): portal_load_data.py gives one portal user 5,000
# requests and 5,000 peer tickets; Odoo then serves it with 4 workers
# (no cron) on loopback, and portal_load_client.py loads our list and
# request page and the peer's with 8 clients. The server and the database
# are removed at the end, unless BENCH_KEEP_DB=1 (the database and its ids
# file stay: BENCH_DB=<that database> runs the load again on them without
# creating anything, after updating the addon when BENCH_UPDATE=1).
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/peer.sh"
prepare_all >/dev/null
ensure_peer
DB="${BENCH_DB:-ir_bench_portal_$$}"
IDS_FILE="$IR_HOME/data/$DB.ids.json"
PORT="${BENCH_HTTP_PORT:-$((22000 + $$ % 1000))}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/ir_portal_bench_XXXXXX")"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -z "${BENCH_KEEP_DB:-}" ] && [ -z "${BENCH_DB:-}" ]; then
        dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$DB" 2>/dev/null || true
        rm -f "$IDS_FILE"
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
ADDONS_PATH="$ODOO_SRC/addons,$ADDONS_LINK_DIR,$PEER_DIR/odoo/addons"
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin")
OPTIONS=(-c "$ODOO_CONF" -d "$DB" --addons-path "$ADDONS_PATH" --http-port "$PORT" --log-level=warn)
if [ -n "${BENCH_DB:-}" ]; then
    [ -f "$IDS_FILE" ] || die "No $IDS_FILE: run once with BENCH_KEEP_DB=1 first."
    if [ -n "${BENCH_UPDATE:-}" ]; then
        say "Updating $ADDON_NAME in $DB"
        "${ODOO[@]}" "${OPTIONS[@]}" -u "$ADDON_NAME" --stop-after-init || die "Updating the addon failed."
    fi
else
    say "Installing $ADDON_NAME and helpdesk_mgmt_sla in the scratch database $DB"
    "${ODOO[@]}" "${OPTIONS[@]}" -i "$ADDON_NAME,helpdesk_mgmt_sla" --stop-after-init ||
        die "Installing the addons failed."
    say "Creating ${BENCH_REQUESTS:-5000} requests and as many peer tickets for one portal user"
    BENCH_DIR="$REPO_DIR/bench" BENCH_IDS_FILE="$IDS_FILE" "${ODOO[@]}" shell "${OPTIONS[@]}" \
        <"$REPO_DIR/bench/portal_load_data.py" || die "Creating the data failed."
fi
say "Starting Odoo with 4 workers on 127.0.0.1:$PORT"
"${ODOO[@]}" -c "$ODOO_CONF" -d "$DB" --addons-path "$ADDONS_PATH" --db-filter "^$DB\$" --workers=4 --max-cron-threads=0 \
    --http-interface 127.0.0.1 --http-port "$PORT" --gevent-port $((PORT + 1)) \
    --log-level=warn --log-handler werkzeug:INFO --logfile "$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login" && break
    sleep 1
done
curl -s -o /dev/null "http://127.0.0.1:$PORT/web/login" || die "Odoo did not start (see $WORK/server.log)."
"$VENV/bin/python" "$REPO_DIR/bench/portal_load_client.py" \
    "http://127.0.0.1:$PORT" "$IDS_FILE" "$WORK/server.log"
