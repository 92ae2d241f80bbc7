# shellcheck shell=bash
# Shared steps of scripts/setup.sh and scripts/test.sh.
# Every step is idempotent: running the set-up twice changes nothing the
# second time. Each missing prerequisite stops with one clear message.

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDON_NAME="intervention_request"
ODOO_SRC="${ODOO_SRC:-/opt/odoo}"
IR_HOME="${IR_HOME:-$HOME/.local/share/$ADDON_NAME}"
VENV="${IR_VENV:-$IR_HOME/venv}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
IR_DB_USER="${IR_DB_USER:-odoo_ir}"
IR_DB="${IR_DB:-intervention_demo}"
IR_HTTP_PORT="${IR_HTTP_PORT:-8069}"
IR_LANG="${IR_LANG:-en_US}"
# Config and addons link per checkout: a CI clone and a developer's tree
# share the virtualenv but never point Odoo at each other's code.
INSTANCE_DIR="$IR_HOME/checkouts/$(printf '%s' "$REPO_DIR" | sha1sum | cut -c1-12)"
ODOO_CONF="$INSTANCE_DIR/odoo.conf"
ADDONS_LINK_DIR="$INSTANCE_DIR/addons"
# What the installers (pip, apt-get, npm) and Odoo's installation print goes
# here, not to the terminal: one line per step there, details in this file.
SETUP_LOG="${IR_SETUP_LOG:-$IR_HOME/setup.log}"
export PGHOST PGPORT

say() { printf '==> %s\n' "$*"; }
die() {
    printf '\nERROR: %s\n' "$1" >&2
    [ $# -gt 1 ] && printf '       %s\n' "${@:2}" >&2
    exit 1
}

# logged COMMAND...: runs COMMAND with its output appended to $SETUP_LOG;
# returns its exit code. On failure, `die_logged` shows the log's end.
logged() {
    mkdir -p "$(dirname "$SETUP_LOG")"
    printf '\n### %s: %s\n' "$(date '+%F %T')" "$*" >>"$SETUP_LOG"
    "$@" >>"$SETUP_LOG" 2>&1 </dev/null
}
die_logged() {
    printf '\n--- last lines of %s ---\n' "$SETUP_LOG" >&2
    tail -n 15 "$SETUP_LOG" >&2
    die "$1" "Details: $SETUP_LOG" "${@:2}"
}
apt_install() {
    logged apt-get update -q && DEBIAN_FRONTEND=noninteractive logged apt-get install -y -q "$@"
}

# --- Python ------------------------------------------------------------------
find_python() {
    local candidate
    for candidate in "${IR_PYTHON:-}" python3.11 python3.12 python3.10 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys, venv; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
            PYTHON="$(command -v "$candidate")"
            return 0
        fi
    done
    die "No Python 3.10-3.13 with the venv module was found." \
        "Install one (Debian: apt-get install python3 python3-venv python3-dev) or set IR_PYTHON=/path/to/python3."
}

# --- Odoo source ---------------------------------------------------------------
odoo_src_ok() {
    [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/odoo/release.py" ] &&
        grep -Eq "^version_info = \(19, 0" "$ODOO_SRC/odoo/release.py"
}

ensure_odoo_src() {
    if odoo_src_ok; then
        say "Odoo 19.0 source found in $ODOO_SRC"
        return 0
    fi
    if [ -e "$ODOO_SRC/odoo-bin" ]; then
        die "$ODOO_SRC holds an Odoo that is not 19.0." "Point ODOO_SRC at an Odoo 19.0 source tree."
    fi
    command -v git >/dev/null 2>&1 || die "No Odoo source in $ODOO_SRC and git is not installed to clone it." \
        "Install git, or put an Odoo 19.0 source tree there (or set ODOO_SRC)."
    say "No Odoo source in $ODOO_SRC: cloning odoo/odoo branch 19.0 (shallow)"
    mkdir -p "$(dirname "$ODOO_SRC")"
    if ! logged git clone --quiet --depth 1 --branch 19.0 https://github.com/odoo/odoo.git "$ODOO_SRC"; then
        die_logged "Could not clone Odoo 19.0 into $ODOO_SRC (no network?)." \
            "Put an Odoo 19.0 source tree there by hand, or set ODOO_SRC to one."
    fi
}

# --- Virtualenv ----------------------------------------------------------------
requirements_file() {
    # Odoo's requirements, minus python-ldap when its C headers are missing
    # (only auth_ldap uses it).
    local out="$IR_HOME/requirements.txt"
    if [ -f /usr/include/ldap.h ] && [ -d /usr/include/sasl ]; then
        cp "$ODOO_SRC/requirements.txt" "$out"
    else
        grep -v '^python-ldap' "$ODOO_SRC/requirements.txt" >"$out"
    fi
    if ! command -v pg_config >/dev/null 2>&1; then
        # psycopg2 builds from source and needs libpq-dev; the binary wheel does not.
        sed -i 's/^psycopg2==/psycopg2-binary==/' "$out"
    fi
    printf '%s' "$out"
}

ensure_venv() {
    mkdir -p "$IR_HOME"
    find_python
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtualenv $VENV"
        logged "$PYTHON" -m venv "$VENV" || die_logged "Could not create a virtualenv with $PYTHON." \
            "Debian: apt-get install python3-venv."
    fi
    local req stamp want
    req="$(requirements_file)"
    want="$(cat "$req" "$REPO_DIR/scripts/requirements-dev.txt" | sha256sum | cut -c1-16)-$ODOO_SRC"
    stamp="$VENV/.ir-installed"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c "import odoo" 2>/dev/null; then
        say "Virtualenv up to date ($VENV)"
        return 0
    fi
    say "Installing Odoo's requirements in $VENV (a few minutes the first time)"
    local pip=(logged env PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/pip" install --progress-bar off)
    # setuptools < 81: gevent 22.10 (Odoo's pin for Python 3.11) imports
    # pkg_resources, which later setuptools no longer ship; without it the
    # gevent process of a server with --workers dies in a loop.
    "${pip[@]}" --upgrade pip wheel "setuptools<81" ||
        die_logged "pip could not reach a package index." "Check the network or your pip configuration."
    "${pip[@]}" -r "$req" || die_logged "Installing Odoo's requirements failed." \
        "Debian needs: apt-get install python3-dev libpq-dev build-essential."
    "${pip[@]}" -r "$REPO_DIR/scripts/requirements-dev.txt" ||
        die_logged "Installing the development tools failed."
    "${pip[@]}" --no-deps -e "$ODOO_SRC" || die_logged "pip install -e $ODOO_SRC failed."
    printf '%s' "$want" >"$stamp"
}

# --- Browser for tours ------------------------------------------------------------
ensure_chromium() {
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 ||
        command -v google-chrome >/dev/null 2>&1 || [ -n "${ODOO_BROWSER_BIN:-}" ]; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Debian's chromium (browser tours need it)"
        apt_install chromium ||
            die_logged "apt-get could not install chromium." "Install a Chromium or Chrome, or set ODOO_BROWSER_BIN."
    else
        die "No Chromium found: the browser tours need one." \
            "Debian: sudo apt-get install chromium (or set ODOO_BROWSER_BIN to a Chrome binary)."
    fi
}

# --- PDF reports ------------------------------------------------------------------
# Odoo prints reports as PDF with wkhtmltopdf (without it, Print shows HTML).
# Debian's build (0.12.6, Qt not patched) draws web fonts as shapes: the
# intervention report uses installed fonts instead (fonts-liberation).
ensure_wkhtmltopdf() {
    if command -v wkhtmltopdf >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q LiberationSans; then
        say "wkhtmltopdf found ($(wkhtmltopdf --version 2>/dev/null | head -n 1))"
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Debian's wkhtmltopdf and fonts-liberation (PDF reports need them)"
        apt_install wkhtmltopdf fonts-liberation ||
            die_logged "apt-get could not install wkhtmltopdf." "Install wkhtmltopdf 0.12.x and fonts-liberation by hand."
    else
        die "wkhtmltopdf is missing: Odoo prints PDF reports with it." \
            "Debian: sudo apt-get install wkhtmltopdf fonts-liberation"
    fi
}

# --- Formatter (pre-commit's prettier hook) ---------------------------------------
# Prettier and its XML plugin, pinned as in OCA's 19.0 template, from npm into
# $IR_HOME/node (scripts/prettier.sh runs them).
PRETTIER_PACKAGES=(prettier@3.6.2 @prettier/plugin-xml@3.4.2)
ensure_prettier() {
    local node_dir="$IR_HOME/node" want="${PRETTIER_PACKAGES[*]}"
    if [ -x "$node_dir/node_modules/.bin/prettier" ] && [ "$(cat "$node_dir/.ir-installed" 2>/dev/null)" = "$want" ]; then
        say "prettier up to date ($node_dir)"
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "Installing Debian's npm (the XML formatter needs it)"
            apt_install npm || die_logged "apt-get could not install npm."
        else
            die "npm is missing: the XML formatter (prettier) comes from npm." "Debian: sudo apt-get install npm"
        fi
    fi
    say "Installing prettier and its XML plugin from npm in $node_dir"
    mkdir -p "$node_dir"
    logged npm install --prefix "$node_dir" --no-audit --no-fund --loglevel=warn "${PRETTIER_PACKAGES[@]}" ||
        die_logged "npm could not install ${PRETTIER_PACKAGES[*]}."
    printf '%s' "$want" >"$node_dir/.ir-installed"
}

# --- PostgreSQL ------------------------------------------------------------------
pg_superuser_psql() {
    # Run psql as a PostgreSQL superuser: over TCP as "postgres" (trust auth),
    # else through the local socket as the postgres system user.
    if psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        psql -h "$PGHOST" -p "$PGPORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
    elif [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- psql -p "$PGPORT" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"
    else
        return 1
    fi
}

ensure_postgres() {
    command -v psql >/dev/null 2>&1 || die "PostgreSQL client (psql) not found." \
        "Debian: apt-get install postgresql (server 13 or newer)."
    if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
        if command -v pg_lsclusters >/dev/null 2>&1 && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
            say "PostgreSQL is not answering on $PGHOST:$PGPORT: starting the installed cluster(s)"
            local version cluster
            while read -r version cluster _; do
                pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start 2>/dev/null ||
                    pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
            done < <(pg_lsclusters -h)
            for _ in $(seq 1 30); do
                pg_isready -q -h "$PGHOST" -p "$PGPORT" && break
                sleep 1
            done
        fi
        pg_isready -q -h "$PGHOST" -p "$PGPORT" || die "PostgreSQL is not reachable on $PGHOST:$PGPORT." \
            "Install and start a server (Debian: apt-get install postgresql; pg_ctlcluster 15 main start), or set PGHOST/PGPORT."
    fi
    if ! psql -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
        say "Creating the PostgreSQL role $IR_DB_USER"
        pg_superuser_psql -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$IR_DB_USER') THEN CREATE ROLE \"$IR_DB_USER\" LOGIN CREATEDB; END IF; END\$\$;" ||
            die "Could not create the PostgreSQL role $IR_DB_USER (no superuser access)." \
                "As a superuser run: CREATE ROLE $IR_DB_USER LOGIN CREATEDB PASSWORD '...'; then set PGPASSWORD."
        psql -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1 ||
            die "Role $IR_DB_USER exists but cannot log in on $PGHOST:$PGPORT." \
                "Allow it in pg_hba.conf (trust or md5 with PGPASSWORD)."
    fi
    say "PostgreSQL reachable on $PGHOST:$PGPORT as $IR_DB_USER"
}

# --- Odoo configuration -------------------------------------------------------------
ensure_config() {
    mkdir -p "$ADDONS_LINK_DIR" "$IR_HOME/data"
    # Odoo finds an addon by its directory name: expose the repository as
    # .../addons/intervention_request whatever the clone is called.
    ln -sfn "$REPO_DIR" "$ADDONS_LINK_DIR/$ADDON_NAME"
    cat >"$ODOO_CONF" <<EOF
[options]
addons_path = $ODOO_SRC/addons,$ADDONS_LINK_DIR
data_dir = $IR_HOME/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $IR_DB_USER
${PGPASSWORD:+db_password = $PGPASSWORD}
admin_passwd = ${IR_ADMIN_PASSWD:-admin}
http_interface = 127.0.0.1
http_port = $IR_HTTP_PORT
list_db = True
EOF
}

db_exists() {
    psql -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" -d postgres -Atqc \
        "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1
}

# set_users_lang DB LANG: the administrator, the demo user and the main
# company speak LANG (an active language of DB), as Odoo's database manager
# does for the language chosen when it creates a database.
set_users_lang() {
    printf '\n### %s: set_users_lang %s %s\n' "$(date '+%F %T')" "$1" "$2" >>"$SETUP_LOG"
    IR_SET_LANG="$2" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" shell -c "$ODOO_CONF" -d "$1" \
        --no-http --log-level=warn >>"$SETUP_LOG" 2>&1 <<'PY'
import os
lang = os.environ["IR_SET_LANG"]
users = env.ref("base.user_admin") | env.ref("base.user_demo", raise_if_not_found=False)
users.write({"lang": lang})
env.ref("base.main_company").partner_id.lang = lang
env.cr.commit()
PY
}

prepare_all() {
    ensure_odoo_src
    ensure_venv
    ensure_chromium
    ensure_wkhtmltopdf
    ensure_prettier
    ensure_postgres
    ensure_config
}

# --- Translations ---------------------------------------------------------------------
ensure_gettext() {
    command -v msgmerge >/dev/null 2>&1 && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Installing Debian's gettext (translation checks need msgmerge)"
        apt_install gettext || die_logged "apt-get could not install gettext."
    else
        die "msgmerge is missing: the translation tools need GNU gettext." \
            "Debian: sudo apt-get install gettext"
    fi
}

# export_translation_template OUT: installs the addon with its demo data in
# a throw-away database and writes its translation template (Odoo's own
# exporter, odoo-bin i18n export) to OUT. With the demo data, the template
# holds the translatable fields of the demo records too (domains, SLA
# policies, escalation ladders, teams...): a database created in French
# shows them in French.
export_translation_template() {
    local out=$1 db="ir_i18n_$$_$(date +%s)" port=$((19500 + $$ % 400)) log
    log="$(mktemp "${TMPDIR:-/tmp}/ir_i18n_XXXXXX.log")"
    local odoo=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
    if ! "${odoo[@]}" -d "$db" -i "$ADDON_NAME" --with-demo --http-port "$port" \
        --stop-after-init --log-level=warn >"$log" 2>&1; then
        cat "$log" >&2
        dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$db" 2>/dev/null
        die "Installing $ADDON_NAME in $db failed (see the log above)."
    fi
    if ! "$VENV/bin/python" "$ODOO_SRC/odoo-bin" i18n export -c "$ODOO_CONF" -d "$db" \
        -o "$out" "$ADDON_NAME" >"$log" 2>&1; then
        cat "$log" >&2
        dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$db" 2>/dev/null
        die "odoo-bin i18n export failed (see the log above)."
    fi
    dropdb -h "$PGHOST" -p "$PGPORT" -U "$IR_DB_USER" --if-exists "$db" 2>/dev/null
    rm -f "$log"
    [ -s "$out" ] || die "The exported template $out is empty."
}

# po_count SELECTION PO: number of entries msgattrib selects (header excluded).
po_count() {
    local n
    n="$(msgattrib "$1" --no-obsolete "$2" | grep -c '^msgid ' || true)"
    echo $((n > 0 ? n - 1 : 0))
}
