#!/usr/bin/env bash
# Runs the pre-commit hooks (.pre-commit-config.yaml) with the tools the
# set-up installed: the virtualenv's ruff, pylint-odoo, OCA's checks and
# pre-commit itself, npm's prettier.
#
#   scripts/lint.sh              every hook on every file (what CI runs)
#   scripts/lint.sh HOOK_ID      one hook on every file
#   scripts/lint.sh --install    run the hooks on each git commit
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ -x "$VENV/bin/pre-commit" ] || die "pre-commit is not installed." "Run scripts/setup.sh --no-start first."
export PATH="$VENV/bin:$PATH"
cd "$REPO_DIR"
if [ "${1:-}" = "--install" ]; then
    exec pre-commit install
fi
exec pre-commit run --all-files --show-diff-on-failure "$@"
