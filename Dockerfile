# syntax=docker/dockerfile:1
# Bone–Brain Care: a production image. Build: `docker build -t bone-brain-care .`
# Stages: deps (all dependencies, for the build) → build (`next build`) → prod-deps (production
# dependencies only) → runtime (non-root, the build output, the server scripts). The only network
# used while building is the npm registry. docs/OPERATIONS.md describes running it.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1 NODE_ENV=production
COPY . .
RUN npx next build && rm -rf .next/cache

FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0 \
    PGLITE_DIR=/data/pglite
WORKDIR /app
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
 && mkdir -p /data && chown app:app /data
COPY --from=prod-deps /app/node_modules ./node_modules
# The server runs the TypeScript entry points under tsx (a production dependency): the sources
# it imports, the migrations it applies or checks, and the build it serves.
COPY --from=build /app/package.json /app/tsconfig.json /app/next.config.mjs ./
COPY --from=build /app/db ./db
COPY --from=build /app/lib ./lib
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/types ./types
COPY --from=build /app/.next ./.next
USER app
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `npm start` without npm: migrations are checked (PostgreSQL) or applied (embedded database).
CMD ["node", "--import", "tsx", "scripts/start.ts"]
