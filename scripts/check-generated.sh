#!/usr/bin/env bash
# Fail when the committed generated code under src/generated is stale:
#   - src/generated/craft-api.ts     from schemas/craft-api.yaml    (openapi-typescript)
#   - src/generated/craft-events.ts  from schemas/craft-events.yaml (openapi-typescript)
#   - the Prisma client              from prisma/schema.prisma      (prisma generate)
# The OpenAPI types are regenerated into a temp dir and compared. The Prisma
# client is regenerated in place (no network: PRISMA_SCHEMA_ENGINE_BINARY=/bin/true),
# then git must show no change and no untracked file under src/generated.
# Fix: npm run generate (then commit src/generated).
set -euo pipefail

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT_DIR"

export CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
export PRISMA_SCHEMA_ENGINE_BINARY=${PRISMA_SCHEMA_ENGINE_BINARY:-/bin/true}

GEN_DIR=src/generated
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

PROBLEMS=()
FIXES=()
log() { printf '[check-generated] %s\n' "$*"; }
problem() { printf '[check-generated] STALE: %s\n' "$1" >&2; PROBLEMS+=("$1"); }
add_fix() {
  local f
  for f in "${FIXES[@]+"${FIXES[@]}"}"; do [ "$f" = "$1" ] && return 0; done
  FIXES+=("$1")
}

if [ ! -d node_modules ]; then
  echo "[check-generated] node_modules is missing: run npm ci first" >&2
  exit 1
fi

# ------------------------------------------------------- OpenAPI types ---
check_openapi() { # check_openapi NAME
  local name=$1 schema="schemas/$1.yaml" out="$GEN_DIR/$1.ts"
  local fix="npx openapi-typescript $schema -o $out"
  if [ ! -f "$schema" ] && [ ! -f "$out" ]; then
    log "skip $name: neither $schema nor $out exists"
    return 0
  fi
  if [ ! -f "$schema" ]; then
    problem "$out exists but its source $schema does not (delete $out or restore the schema)"
    return 0
  fi
  if ! npx --no-install openapi-typescript "$schema" -o "$tmp/$name.ts" >"$tmp/$name.log" 2>&1; then
    cat "$tmp/$name.log" >&2
    problem "openapi-typescript failed on $schema (see above)"
    return 0
  fi
  if [ ! -f "$out" ]; then
    problem "$out is missing (generated from $schema)"
    add_fix "$fix"
  elif ! cmp -s "$tmp/$name.ts" "$out"; then
    problem "$out is out of date with $schema; first lines of the difference:"
    diff -u "$out" "$tmp/$name.ts" --label "$out (committed)" --label "$out (regenerated)" |
      head -n 40 >&2 || true
    add_fix "$fix"
  else
    log "ok: $out matches $schema"
  fi
}

check_openapi craft-api
check_openapi craft-events

# -------------------------------------------------------- Prisma client ---
snapshot() { # checksums of every file under src/generated, sorted by path
  if [ -d "$GEN_DIR" ]; then
    find "$GEN_DIR" -type f -print0 | sort -z | xargs -0 -r sha256sum
  fi
}

if [ -f prisma/schema.prisma ]; then
  snapshot >"$tmp/before"
  if ! npx --no-install prisma generate >"$tmp/prisma.log" 2>&1; then
    cat "$tmp/prisma.log" >&2
    problem "prisma generate failed (see above)"
  else
    snapshot >"$tmp/after"
    if cmp -s "$tmp/before" "$tmp/after"; then
      log "ok: the Prisma client matches prisma/schema.prisma"
    else
      problem "the Prisma client was out of date with prisma/schema.prisma; prisma generate has now rewritten:"
      diff <(awk '{print $2}' "$tmp/before") <(awk '{print $2}' "$tmp/after") |
        sed -n 's/^< /  removed: /p; s/^> /  added:   /p' >&2 || true
      join -j 2 <(sort -k2 "$tmp/before") <(sort -k2 "$tmp/after") |
        awk '$2 != $3 {print "  changed: " $1}' >&2 || true
      add_fix "npm run generate:prisma"
    fi
  fi
else
  log "skip Prisma: prisma/schema.prisma does not exist"
fi

# ------------------------------------------------- committed to git? ---
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  if ! git diff --quiet --exit-code -- "$GEN_DIR"; then
    problem "files under $GEN_DIR differ from what git has (regenerated but not committed?):"
    git diff --stat -- "$GEN_DIR" >&2
    add_fix "git add $GEN_DIR && git commit"
  fi
  untracked=$(git ls-files --others --exclude-standard -- "$GEN_DIR")
  if [ -n "$untracked" ]; then
    problem "untracked files under $GEN_DIR (generated but never committed):"
    awk '{print "  " $0}' <<<"$untracked" >&2
    add_fix "git add $GEN_DIR && git commit"
  fi
  ignored=$(git ls-files --others --ignored --exclude-standard -- "$GEN_DIR")
  if [ -n "$ignored" ]; then
    problem "files under $GEN_DIR are git-ignored but must be committed:"
    awk '{print "  " $0}' <<<"$ignored" >&2
    add_fix "remove $GEN_DIR from .gitignore, then git add $GEN_DIR"
  fi
else
  log "not a git work tree: skipping the committed-files check"
fi

if [ "${#PROBLEMS[@]}" -gt 0 ]; then
  {
    echo
    echo "[check-generated] FAILED: generated code is stale (${#PROBLEMS[@]} problem(s))."
    echo "[check-generated] Fix: npm run generate, then commit src/generated. Per file:"
    for f in "${FIXES[@]+"${FIXES[@]}"}"; do echo "    $f"; done
  } >&2
  exit 1
fi
log "all generated files are up to date"
