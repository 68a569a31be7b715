# Sourced by run.sh and test.sh: the environment for the services this checkout starts.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$ROOT/.venv/bin:$PATH"
export QC_REDIS_PORT="${QC_REDIS_PORT:-6391}"
redis_available() { command -v redis-server >/dev/null 2>&1; }

# The one address every email links to (SITE_URL), from the HOST and PORT the site serves on,
# unless SITE_URL is set. A wildcard HOST (0.0.0.0, ::) links to this machine's loopback: set
# SITE_URL to the address others use. The host name is also allowed in requests.
site_url_default() {
  local host="$1" port="$2" link
  case "$host" in
    0.0.0.0) link=127.0.0.1 ;;
    ::) link="[::1]" ;;
    *:*) link="[$host]" ;;
    *) link="$host" ;;
  esac
  export SITE_URL="${SITE_URL:-http://$link:$port}"
  if [ -z "${ALLOWED_HOSTS:-}" ]; then
    local name="${SITE_URL#*://}"
    name="${name%%/*}"
    if [[ "$name" == \[* ]]; then name="${name%%]*}]"; else name="${name%%:*}"; fi
    export ALLOWED_HOSTS="127.0.0.1,localhost,[::1],testserver,$name"
  fi
}
