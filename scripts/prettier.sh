#!/usr/bin/env bash
# Prettier with its XML plugin, as OCA formats XML. The set-up installs both
# from npm into $IR_HOME/node (not in the repository).
IR_HOME="${IR_HOME:-$HOME/.local/share/intervention_request}"
node_dir="$IR_HOME/node/node_modules"
if [ ! -x "$node_dir/.bin/prettier" ]; then
    echo "prettier is not installed: run scripts/setup.sh --no-start" >&2
    exit 1
fi
exec "$node_dir/.bin/prettier" --plugin="$node_dir/@prettier/plugin-xml/src/plugin.js" "$@"
