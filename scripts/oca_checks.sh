#!/usr/bin/env bash
# OCA's module and .po checks (oca-checks-odoo-module, oca-checks-po) on this
# addon. Those tools take the addon's name from its folder and look for
# __manifest__.py below the git root: this repository's root is the addon and
# its clone may be named anything, so they would check nothing here. This
# runs them on a copy named intervention_request inside a throw-away git
# repository and prints the findings with paths of this repository.
#
#   scripts/oca_checks.sh          report (exit 1 on a finding)
#   scripts/oca_checks.sh --fix    also apply the tools' own fixes here
set -uo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON_NAME="intervention_request"
fix=0
[ "${1:-}" = "--fix" ] && fix=1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
copy="$work/$ADDON_NAME"
mkdir "$copy"
(cd "$REPO_DIR" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 -r cp --parents -t "$copy" 2>/dev/null)
git -C "$work" init -q

# prefer-readme-rst: README.rst is there (generated, what Odoo shows);
# README.md stays as the repository's user's manual (the team's guide).
# po-pretty-format: disabled in OCA's own template too.
module_args=(--disable=prefer-readme-rst)
[ "$fix" = 1 ] && module_args+=(--fix)
rc=0
out="$(cd "$work" && oca-checks-odoo-module "${module_args[@]}" "$ADDON_NAME" 2>&1)" || rc=1
po_files=()
while IFS= read -r -d '' f; do po_files+=("$ADDON_NAME/${f#"$copy/"}"); done < <(find "$copy/i18n" -name '*.po*' -print0)
if [ ${#po_files[@]} -gt 0 ]; then
    out+="$(cd "$work" && oca-checks-po --disable=po-pretty-format "${po_files[@]}" 2>&1)" || rc=1
fi
if [ "$fix" = 1 ]; then
    (cd "$copy" && git -C "$REPO_DIR" ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
        cmp -s "$f" "$REPO_DIR/$f" || cp "$f" "$REPO_DIR/$f"
    done)
fi
printf '%s\n' "$out" | sed "s#$work/##g; s#^$ADDON_NAME/##" | grep -v '^$' || true
exit $rc
