# newsdesk: build with `docker build -t newsdesk .`
# Without a reachable registry, CI builds a local base (see .ci/build-base-image) and passes
# --build-arg BASE_IMAGE=localhost/node-base. Build with --format docker under podman, or the
# HEALTHCHECK is dropped (OCI image configs have no health check).
ARG BASE_IMAGE=node:24-bookworm-slim

# --- deps: every dependency, with better-sqlite3 compiled for this Node ----------------------
FROM ${BASE_IMAGE} AS deps
# better-sqlite3 is native: prebuild-install fetches a binary when it can reach GitHub, and
# node-gyp compiles it from source when it cannot (no prebuilt for this Node, offline mirror).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The npm registry the build host uses (a mirror, say); proxies come in through the standard
# HTTP(S)_PROXY build args, which docker and podman pass without declaring them.
ARG npm_config_registry=https://registry.npmjs.org/
# node-gyp compiles sqlite3.c and the addon in parallel (one make job per core).
ARG JOBS=max
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: compile TypeScript to dist/ ------------------------------------------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build

# --- prod-deps: drop dev dependencies, keeping the compiled native module --------------------
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/better-sqlite3/build/Release/obj* \
           node_modules/better-sqlite3/build/Release/.deps \
           node_modules/better-sqlite3/build/Release/test_extension.node \
           node_modules/better-sqlite3/deps \
           node_modules/better-sqlite3/src

# --- runtime ---------------------------------------------------------------------------------
FROM ${BASE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=sqlite:/data/newsdesk.db \
    ARTICLES_DIR=/app/articles \
    npm_config_cache=/tmp/.npm \
    npm_config_update_notifier=false
WORKDIR /app
# /data is owned by node so a fresh named volume (which copies this folder) is writable. ./data is
# the same folder, so the DATABASE_URL in .env.example (sqlite:./data/newsdesk.db) lands in the
# volume too when `docker run --env-file .env` overrides the setting above.
RUN mkdir -p /data && chown node:node /data && ln -s /data /app/data
# Least to most often changed, so a code change rebuilds only the last layers.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY articles ./articles
COPY --from=build /app/dist ./dist
# The commit this image was built from, for newsdesk_build_info (the image has no git and no .git):
# docker build --build-arg COMMIT=$(git rev-parse HEAD) .  Last, so a new commit rebuilds one layer.
ARG COMMIT=unknown
RUN printf '{"commit":"%s"}\n' "$COMMIT" > /app/build-info.json
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/entry/main.js"]
