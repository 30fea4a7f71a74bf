# Shared steps of scripts/dev.sh and scripts/test.sh (sourced, not run).
# Fresh Debian 12 with Python 3.11, as root (or with sudo). Every step is skipped when done.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
VAR_DIR="${APP_VAR_DIR:-$ROOT/var}"
PY="$VENV/bin/python"
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n==> %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_ensure PKG...: install the packages that are missing (apt-get update first, once).
apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    step "Installing system packages: ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}"
}

SYSTEM_PACKAGES=(
    python3-venv python3-dev gcc libpq-dev
    libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils
    texlive-lang-chinese
)

# The virtualenv, installed exactly from requirements.lock: every package, direct or not, at
# one version with its hashes (pip refuses anything else). Regenerated from pyproject.toml's
# pins with pip-compile (README, "Dependencies"); reinstalled only when the lock changes.
ensure_venv() {
    if [ ! -x "$PY" ]; then
        step "Creating $VENV"
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.installed-$(sha256sum requirements.lock | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        step "Installing Python packages (requirements.lock)"
        "$PY" -m pip install -q --require-hashes -r requirements.lock
        rm -f "$VENV"/.installed-*
        touch "$stamp"
    fi
}

# Subsetted CJK fonts for PDFs. Always run: the helper rebuilds only the faces that are
# missing or older than their source (a half-built or stale var/fonts is completed), and
# says "up to date" for the others in well under a second.
ensure_fonts() {
    step "PDF font subset"
    "$PY" scripts/make_font_subset.py --out-dir "$VAR_DIR/fonts"
}

compile_translations() {
    step "Compiling translations"
    "$PY" manage.py compile_translations
}

setup_common() {
    apt_ensure "${SYSTEM_PACKAGES[@]}" "$@"
    ensure_venv
    mkdir -p "$VAR_DIR"
    ensure_fonts
    compile_translations
}
