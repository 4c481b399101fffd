#!/usr/bin/env bash
# Install what the tests need from Debian, only what is missing (idempotent).
#
# usage: scripts/lib/prereqs.sh [--browser]      (or source it and call ensure_prereqs)
#   always:    PostgreSQL 15 server + psql, fonts-noto-cjk (CJK PDFs), zbar-tools (zbarimg,
#              QR decoding), poppler-utils (pdftotext, pdftoppm), python3 venv
#   --browser: also chromium
# As root it runs apt-get; as anyone else it says what is missing and how to install it, and
# fails.

# Debian package -> "is it there?" check. Checks look at what the tests use, not at dpkg, so
# that an equivalent install (another PostgreSQL build, a chromium elsewhere on PATH) counts.
_prereq_have() {
  case "$1" in
    postgresql-15)
      [[ -n ${ONEWINDOW_PG_BIN:-} && -x ${ONEWINDOW_PG_BIN}/initdb ]] && return 0
      compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null
      ;;
    postgresql-client-15) command -v psql >/dev/null ;;
    fonts-noto-cjk)
      if command -v fc-list >/dev/null; then
        [[ $(fc-list :lang=zh family 2>/dev/null) == *Noto* ]]
      else
        [[ $(dpkg-query -W -f '${Status}' fonts-noto-cjk 2>/dev/null) == *'ok installed'* ]]
      fi
      ;;
    fontconfig) command -v fc-list >/dev/null ;;
    zbar-tools) command -v zbarimg >/dev/null ;;
    poppler-utils) command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null ;;
    python3-venv) python3 -c 'import venv, ensurepip' >/dev/null 2>&1 ;;
    chromium) command -v chromium >/dev/null ;;
    *) [[ $(dpkg-query -W -f '${Status}' "$1" 2>/dev/null) == *'ok installed'* ]] ;;
  esac
}

# ensure_prereqs [--browser]
ensure_prereqs() {
  local wanted=(postgresql-15 postgresql-client-15 fontconfig fonts-noto-cjk zbar-tools poppler-utils python3-venv)
  [[ ${1:-} == --browser ]] && wanted+=(chromium)
  local missing=() pkg
  for pkg in "${wanted[@]}"; do
    _prereq_have "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]} == 0)); then
    echo "prerequisites present: ${wanted[*]}"
    return 0
  fi
  echo "missing: ${missing[*]}"
  if [[ $(id -u) != 0 ]]; then
    echo "error: not root, cannot install them. As root run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    return 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q || return 1
  apt-get install -y -q --no-install-recommends "${missing[@]}" || return 1
  for pkg in "${missing[@]}"; do
    if ! _prereq_have "$pkg"; then
      echo "error: $pkg still missing after apt-get install" >&2
      return 1
    fi
  done
  echo "installed: ${missing[*]}"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  ensure_prereqs "$@"
fi
