# Shared by start.sh and test.sh: a virtual environment with pinned packages, Chromium, and for
# the tests nginx and strace.
# Sourced, not run. Re-installs only when a requirements file changes.

setup_python() {
  local requirements="$1" python="${PYTHON:-}"
  if [ -z "$python" ]; then
    for candidate in python3.11 python3 python; do
      if command -v "$candidate" >/dev/null 2>&1 &&
         "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        python="$candidate"; break
      fi
    done
  fi
  if [ -z "$python" ]; then
    echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
    return 1
  fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename "$requirements")"
  if [ ! -f "$stamp" ]; then
    echo "Installing Python packages from $requirements (first run only)…"
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$requirements"
    touch "$stamp"
  fi
}

setup_chromium() {
  # Chromium draws figures and handout pictures; DejaVu Sans is the handout's font.
  if { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } &&
     [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
    return 0
  fi
  echo "Installing Chromium for the browser tests and figure export…"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "Please install Chromium (the 'chromium' package) and run this again." >&2
    return 1
  fi
}

setup_nginx() {
  # Also strace: the privacy test watches the server's system calls (tests/test_privacy_syscalls.py).
  setup_strace || return 1
  if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    return 0
  fi
  echo "Installing nginx for the scale-out tests (nginx in front of two replicas)…"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    # Installed for its binary only: the tests start it on loopback with their own config.
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nginx >/dev/null
  else
    echo "Please install nginx (the 'nginx' package) and run this again." >&2
    return 1
  fi
}

setup_strace() {
  if command -v strace >/dev/null 2>&1; then
    return 0
  fi
  echo "Installing strace for the privacy test (it watches the server's system calls)…"
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq strace >/dev/null
  else
    echo "Please install strace (the 'strace' package) and run this again." >&2
    return 1
  fi
}
