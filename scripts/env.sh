# Sourced by run.sh and test.sh: the environment for the services this checkout starts.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/.venv/bin:$PATH"
export QC_REDIS_PORT="${QC_REDIS_PORT:-6391}"
redis_available() { command -v redis-server >/dev/null 2>&1; }
