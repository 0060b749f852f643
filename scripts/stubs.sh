#!/usr/bin/env bash
# The neighbouring services (game services, item, inventory, contract, currency, affix,
# seed, location, analytics) as their own process, for development: `npm run stubs`.
# lib-craft then calls them over HTTP: CRAFT_NEIGHBOURS_URL=http://127.0.0.1:3100 npm run dev.
#
#   1. npm ci, when node_modules is missing
#   2. make sure MariaDB and NATS answer, and apply the migrations (the stub tables)
#   3. serve on 127.0.0.1:3100 with the development secret: callers need a token signed
#      with it, and a fulfilled contract calls lib-craft (STUBS_CRAFT_URL, default
#      http://127.0.0.1:3000) with a contract-service token signed with it
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT_DIR"

say() { printf '\n[stubs] %s\n' "$*"; }

if [ ! -d node_modules ]; then
  say "node_modules is missing: npm ci"
  npm ci --prefer-offline --no-audit --no-fund
fi

export DATABASE_URL=${DATABASE_URL:-mysql://root@127.0.0.1:3306/craft}
export NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
export HOST=${HOST:-127.0.0.1}
export PORT=${STUBS_PORT:-3100}
export STUBS_CRAFT_URL=${STUBS_CRAFT_URL:-http://127.0.0.1:3000}
if [ -z "${STUBS_AUTH_JWT_SECRET:-}" ]; then export STUBS_AUTH_JWT_SECRET=dev-secret-change-me; fi
if [ -z "${STUBS_CRAFT_TOKEN:-}" ] && [ -z "${STUBS_CRAFT_JWT_SECRET:-}" ]; then export STUBS_CRAFT_JWT_SECRET=dev-secret-change-me; fi

say "checking MariaDB, Redis and NATS"
bash scripts/ensure-services.sh
say "applying migrations (npm run db:migrate)"
npm run --silent db:migrate

say "the stub server at http://$HOST:$PORT (contracts call lib-craft at $STUBS_CRAFT_URL; Ctrl-C to stop)"
exec npx tsx src/stub-server/main.ts
