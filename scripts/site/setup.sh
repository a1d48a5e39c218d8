#!/usr/bin/env bash
# Installs what this project needs on a fresh Debian machine, then assembles the browser runtime.
#   scripts/site/setup.sh           serving: npm (to fetch PyScript/Pyodide) + the runtime
#   scripts/site/setup.sh --test    also Debian Chromium, a .venv with the test dependencies and the
#                              audit tools (axe-core, Lighthouse) in node_modules/
# Safe to re-run: every step checks first and skips work that is already done.
set -euo pipefail
cd "$(dirname "$0")/../.."

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

command -v python3 >/dev/null || apt_install python3 python3-venv python3-pip
command -v npm >/dev/null || apt_install npm
python3 scripts/site/vendor_runtime.py
python3 scripts/site/vendor_editor.py

if [ "${1:-}" = "--test" ]; then
  [ -x /usr/bin/chromium ] || apt_install chromium
  apt_install fonts-dejavu-core
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv || { apt_install python3-venv && python3 -m venv .venv; }
  fi
  stamp=.venv/.installed-from-pyproject
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "installing Python test dependencies into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q ".[test]"
    touch "$stamp"
  fi
  # Pinned by package-lock.json; no install scripts run (nothing downloads a browser).
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "installing the audit tools (npm ci: axe-core, Lighthouse)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
  fi
fi
