# syntax=docker/dockerfile:1
# The app for production (docs/deployment.md). Build: docker build -t payments-app .
# Node 22 or 24 (package.json engines: ^22.14.0 || ^24.0.0; @shopify/shopify-api 15 and
# @shopify/shopify-app-remix 6 require 22, better-sqlite3 13 Node-API 10, from 22.14).
# CI tests both (.ci/run); 22 is the one tested on SQLite and PostgreSQL.
# For 24: docker build --build-arg NODE_IMAGE=node:24-slim
ARG NODE_IMAGE=node:22-slim

# Compilers for better-sqlite3, in case no prebuilt binary fits the platform, and
# what `prisma generate` reads: the schema, prisma.config.ts and the driver
# adapter it imports.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
COPY app/db ./app/db

# Install scripts run only where package.json's allowScripts allows them
# (better-sqlite3, esbuild), whatever npm version the image ships; then the
# project's own postinstall (prisma generate).
FROM toolchain AS prod-deps
RUN npm ci --omit=dev --ignore-scripts \
 && npm rebuild better-sqlite3 \
 && npm run postinstall

# The `node` dev dependency (the Node npm scripts run on elsewhere) stays
# uninstalled here (its install script does not run): the image's Node builds.
FROM toolchain AS build
RUN npm ci --ignore-scripts \
 && npm rebuild better-sqlite3 esbuild \
 && npm run postinstall
COPY . .
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
# package.json: "type": "module" for build/index.js, and `npm run setup`;
# prisma/, prisma.config.ts and app/db/: `prisma migrate deploy`;
# app/shopify/certs/: the default MTLS_CA_FILE.
COPY package.json prisma.config.ts ./
COPY prisma ./prisma
COPY app/db ./app/db
COPY app/shopify/certs ./app/shopify/certs
COPY scripts/docker-entrypoint.sh ./scripts/docker-entrypoint.sh
# The SQLite database (DATABASE_URL=file:./data/app.sqlite) lives on a volume
# the unprivileged user can write.
RUN mkdir -p data && chown node:node data
VOLUME ["/app/data"]
USER node
EXPOSE 3000 3443
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["./scripts/docker-entrypoint.sh"]
