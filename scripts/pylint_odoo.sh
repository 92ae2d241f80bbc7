#!/usr/bin/env bash
# pylint-odoo with OCA's mandatory checks on the whole addon. Like
# oca-checks-odoo-module, it reads the addon's name from its folder: lint it
# through a link named intervention_request.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ln -s "$REPO_DIR" "$work/intervention_request"
export PYLINTHOME="${PYLINTHOME:-$work/.pylint}"
cd "$work"
pylint --rcfile="$REPO_DIR/.pylintrc-mandatory" intervention_request
