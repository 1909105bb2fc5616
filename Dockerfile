# syntax=docker/dockerfile:1
# Latchkey: the API serving the built PWA, in production mode.
#   docker build -t latchkey .
#   docker run -p 3000:3000 -e JWT_SECRET=... -e DATABASE_URL=postgres://... latchkey
# (or `docker compose up`, see docker-compose.yml)

# --- build: the whole workspace, every dependency, then the API and the PWA ---
FROM node:20-bookworm-slim AS build
ENV NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false CI=true
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --projects=api,web

# --- deps: production dependencies only ---
# From the root package files rather than the generated dist/apps/api/package.json:
# that one lists only statically required modules and misses the ones TypeORM loads
# at run time (pg).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---
FROM node:20-bookworm-slim AS runtime
ENV ENV=production NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
# The server finds the PWA beside itself: dist/apps/api/main.js → dist/apps/web/browser.
COPY --from=build /app/dist/apps/api ./dist/apps/api
COPY --from=build /app/dist/apps/web ./dist/apps/web
# Only used when run with ENV=development (embedded database, generated secret).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/v1/health', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/apps/api/main.js"]
