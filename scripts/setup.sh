# Sourced by scripts/run.sh and scripts/test.sh: installs what is missing, fast when nothing is.
#   setup_system PKG...   Debian packages (apt-get as root, or through sudo)
#   setup_python FILE     the virtual environment .venv with FILE's pinned packages
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }

setup_system() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      say "Missing Debian packages (install them as root): ${missing[*]}"; exit 1
    fi
  fi
  say "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_python() {
  local requirements=$1
  local python=${PYTHON:-python3.11}
  command -v "$python" >/dev/null 2>&1 || python=python3
  if [ ! -x .venv/bin/python ]; then
    say "Creating the virtual environment in .venv"
    "$python" -m venv .venv
  fi
  local stamp=".venv/.installed-$(basename "$requirements")"
  local want
  want=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    say "Installing Python packages from $requirements"
    # (this machine's pip configuration may name local package folders that do not exist: not worth a warning)
    if ! .venv/bin/pip install -q --disable-pip-version-check -r "$requirements" \
        2> >(grep -v "is ignored: it is neither" >&2); then
      say "pip could not install $requirements"; exit 1
    fi
    echo "$want" > "$stamp"
  fi
}

# Packages every command needs: Python's venv, and the fonts, Pango and HarfBuzz subsetter WeasyPrint needs
# for Chinese PDFs, and gettext to compile the translations.
BASE_PACKAGES=(python3-venv fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext)
