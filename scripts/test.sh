#!/usr/bin/env bash
# Runs the addon's whole test suite in a new, throw-away database and ends
# with the line "N passed, N failed" from Odoo's own test report.
# Fails on a failing test, an ERROR while installing, a skipped test (a tour
# needs Chromium and websocket-client) or a run that executed no test.
#
#   scripts/test.sh                 all tests of the addon
#   scripts/test.sh TAGS            Odoo --test-tags, e.g. /intervention_request:TestRequestState
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TAGS="${1:-/$ADDON_NAME}"
prepare_all

DB="ir_test_$$"
LOG="${IR_TEST_LOG:-$IR_HOME/test-$DB.log}"
PORT="${IR_TEST_HTTP_PORT:-$((18000 + $$ % 1000))}"
cleanup() { dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$DB" 2>/dev/null || true; }
trap cleanup EXIT

say "Running $TAGS in the new database $DB (log: $LOG)"
set +e
"$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$DB" -i "$ADDON_NAME" \
    --test-tags "$TAGS" --http-port "$PORT" --stop-after-init \
    --screenshots "$IR_HOME/screenshots" 2>&1 | tee "$LOG" |
    grep -E '^\S+ \S+ [0-9]+ (ERROR|CRITICAL|WARNING) |FAIL:|ERROR:|odoo.tests.result|skipped '
odoo_rc=${PIPESTATUS[0]}
set -e

"$VENV/bin/python" "$REPO_DIR/scripts/test_report.py" "$LOG" "$odoo_rc"
