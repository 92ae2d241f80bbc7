# shellcheck shell=bash
# The peer of the benchmarks, OCA's helpdesk_mgmt_sla 19.0: installed with
# pip from the package registry into $IR_HOME/bench_peer, once. Sourced by
# run.sh and portal_load_bench.sh after scripts/lib.sh; sets PEER_DIR.
ensure_peer() {
    PEER_DIR="$IR_HOME/bench_peer"
    if [ ! -d "$PEER_DIR/odoo/addons/helpdesk_mgmt_sla" ]; then
        say "Installing the peer (OCA helpdesk_mgmt_sla 19.0) into $PEER_DIR"
        "$VENV/bin/pip" install --quiet --no-deps --target "$PEER_DIR" \
            "odoo-addon-helpdesk-mgmt==19.0.*" "odoo-addon-helpdesk-mgmt-sla==19.0.*" ||
            die "pip could not install the peer."
    fi
}
