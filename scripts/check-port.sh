#!/usr/bin/env bash
# The first step of `make run`, before any slow set-up: can the site listen on HOST:PORT?
#   scripts/check-port.sh [HOST] [PORT]   (default $HOST and $PORT, then 127.0.0.1 and 8000)
# Silent when it can; otherwise one line saying which port is busy and how to pick another,
# and exit status 1.
set -euo pipefail
HOST="${1:-${HOST:-127.0.0.1}}"
PORT="${2:-${PORT:-8000}}"
PYBIN=$("$(dirname "$0")/find-python.sh")
exec "$PYBIN" - "$HOST" "$PORT" <<'PY'
import errno
import socket
import sys

host, port_text = sys.argv[1], sys.argv[2]


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(1)


if not port_text.isdigit() or not 0 < int(port_text) < 65536:
    fail(f"PORT={port_text} is not a port number: pick one from 1024 to 65535, e.g. make run PORT=8001.")
port = int(port_text)


def bind_error(host: str, port: int) -> OSError | None:
    """Bind as the development server does (address reuse on), then let go."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return error
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as error:
            return error
    return None


error = bind_error(host, port)
if error is None:
    sys.exit(0)
if getattr(error, "errno", None) == errno.EADDRINUSE:
    free = next((p for p in range(port + 1, min(port + 50, 65536)) if not bind_error(host, p)), None)
    suggestion = f"make run PORT={free}" if free else "make run PORT=<another port>"
    fail(f"Port {port} on {host} is busy (another program is listening there): pick another, e.g. {suggestion}.")
if isinstance(error, socket.gaierror):
    fail(f"HOST={host} is not an address of this machine ({error.strerror}): e.g. make run HOST=127.0.0.1.")
fail(f"Cannot listen on {host}:{port} ({error.strerror}): pick another, e.g. make run HOST=127.0.0.1 PORT=8001.")
PY
