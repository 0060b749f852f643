# syntax=docker/dockerfile:1
# lib-craft: docker build -t lib-craft .
# The committed generated code (src/generated) is compiled as is; the image
# applies pending SQL migrations (prisma/migrations) on start, then serves.
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- deps: the full dependency tree, for the build
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# No dependency needs an install script (the Prisma engines are not used).
RUN npm ci --ignore-scripts --no-audit --no-fund

# ---- build: TypeScript -> dist/
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies, compiled code, schemas, migrations
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS=--enable-source-maps \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Note: @prisma/client's peers (the prisma CLI, typescript) come along as
# "devOptional"; --omit=optional would drop them (~250 MB) but would also drop
# any platform binary a future dependency ships as an optional dependency.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
    && npm cache clean --force
COPY --from=build /app/dist ./dist
# The OpenAPI documents are served and validated at runtime; migrations are
# applied by dist/infra/db/migrate-cli.js.
COPY schemas ./schemas
COPY prisma ./prisma
# Files stay root-owned (read-only to the service).
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/livez').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# exec: node replaces the shell as PID 1 and gets SIGTERM itself (graceful stop).
CMD ["sh", "-c", "node dist/infra/db/migrate-cli.js && exec node dist/server.js"]
