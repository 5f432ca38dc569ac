# syntax=docker/dockerfile:1
# Production image: compiled JavaScript on Node 24 LTS, production dependencies only, non-root.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# the SDK is an npm workspace: npm ci needs its manifest (not its code) to match the lockfile
COPY sdk/package.json ./sdk/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY openapi ./openapi
COPY generated ./generated
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
# Heap bounds: the default young generation and lazy old-space GC took RSS to ~210 MB under load
# with ~40 MB live; these keep it near 120 MB (bench/processes/service-server.ts runs the same).
# Raise --max-old-space-size together with READ_CACHE_MAX_MB.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=8" \
    PORT=3000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
EXPOSE 3000
# DATABASE_URL and JWT_SECRET are required in production (the service refuses to start without JWT_SECRET).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# node directly (not npm) so SIGTERM reaches the server and shutdown is graceful
CMD ["node", "dist/src/server.js"]
