#!/usr/bin/env bash
# Run lib-craft locally, without Docker: `npm run dev` (or bash scripts/dev.sh).
#
#   1. npm ci, when node_modules is missing
#   2. load .env when present (variables already set in the shell win)
#   3. make sure MariaDB, Redis and NATS (JetStream) answer
#      (scripts/ensure-services.sh: starts them, and installs the missing ones from
#      Debian's packages when this user can, as root or with sudo without a password;
#      --no-install only says what is missing)
#   4. apply the SQL migrations (npm run db:migrate)
#   5. start the service in watch mode (tsx watch src/server.ts)
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT_DIR"

ENSURE_ARGS=()
for arg in "$@"; do
  case "$arg" in
    --install) ENSURE_ARGS+=(--install) ;;
    --no-install) ENSURE_ARGS+=(--no-install) ;;
    -h | --help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dev: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n[dev] %s\n' "$*"; }

if [ ! -d node_modules ]; then
  say "node_modules is missing: npm ci"
  npm ci --prefer-offline --no-audit --no-fund
fi

# .env: KEY=VALUE lines, '#' comments, optional 'export ' and quotes.
# Like dotenv, a variable already set in the environment is not overridden.
if [ -f .env ]; then
  say "loading .env"
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
    line=${line#export }
    key=${line%%=*}
    key=${key//[[:space:]]/}
    [[ $key =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || { echo "[dev] .env: ignoring line: $line" >&2; continue; }
    [[ $line == *=* ]] || continue
    value=${line#*=}
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    if [ -z "${!key+x}" ]; then export "$key=$value"; fi
  done <.env
else
  say "no .env: using defaults (copy .env.example to .env to change them)"
fi

export DATABASE_URL=${DATABASE_URL:-mysql://root@127.0.0.1:3306/craft}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
export NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
export PORT=${PORT:-3000}
# Loopback unless HOST says otherwise: the development secret must not face a network.
export HOST=${HOST:-127.0.0.1}
export LOG_LEVEL=${LOG_LEVEL:-info}
# Readable log lines in a terminal, JSON lines when piped or redirected.
if [ -t 1 ]; then export LOG_PRETTY=${LOG_PRETTY:-true}; fi
export CRAFT_STANDALONE=${CRAFT_STANDALONE:-true}
# Authentication is on by default: without a secret, JWKS URL or CRAFT_AUTH_DISABLED, use the
# development secret (the same as docker compose). Development only; never deploy it.
if [ -z "${CRAFT_AUTH_JWT_SECRET:-}" ] && [ -z "${CRAFT_AUTH_JWKS_URL:-}" ] && [ "${CRAFT_AUTH_DISABLED:-false}" != "true" ]; then
  export CRAFT_AUTH_JWT_SECRET=dev-secret-change-me
  say "CRAFT_AUTH_JWT_SECRET unset: using the development secret 'dev-secret-change-me' (mint a token: npm run --silent dev:token)"
fi

# Neighbours over HTTP (e.g. npm run stubs): sign the service token with the development secret too.
if [ -n "${CRAFT_NEIGHBOURS_URL:-}" ] && [ -z "${CRAFT_NEIGHBOUR_TOKEN:-}" ] && [ -z "${CRAFT_NEIGHBOUR_JWT_SECRET:-}" ]; then
  export CRAFT_NEIGHBOUR_JWT_SECRET=dev-secret-change-me
fi

say "checking MariaDB, Redis and NATS"
bash scripts/ensure-services.sh "${ENSURE_ARGS[@]}"

say "applying migrations (npm run db:migrate)"
npm run --silent db:migrate

redact() { sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#' <<<"$1"; }

cat <<EOF

[dev] lib-craft starting in watch mode (Ctrl-C to stop)
      API        http://localhost:$PORT/
      API docs   http://localhost:$PORT/docs
      liveness   http://localhost:$PORT/livez
      readiness  http://localhost:$PORT/readyz
      standalone ${CRAFT_STANDALONE} (true: stub services and /dev endpoints)
      neighbours ${CRAFT_NEIGHBOURS_URL:-in-process stubs}
      DATABASE_URL=$(redact "$DATABASE_URL")
      REDIS_URL=$(redact "$REDIS_URL")
      NATS_URL=$(redact "$NATS_URL")

EOF
exec npx tsx watch src/server.ts
