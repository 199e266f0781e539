# syntax=docker/dockerfile:1
# One image for the server and the worker (compose picks the command). Two stages: the build stage
# installs the whole workspace and compiles it; the runtime stage gets node, the compiled apps with
# their production dependencies only (`pnpm deploy --prod`), the web app and the assembled models.

FROM node:20-bookworm-slim AS build
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install --global pnpm@10.34.9
WORKDIR /src
# Dependencies first, so a source change does not download them again.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline && pnpm build
# The compiled apps with their production dependencies, the web app and the assembled models, in /out
# (the script says what and why; a medium test runs it too and starts the server from its output).
RUN tooling/docker/assemble-runtime.sh /out

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data MODEL_CACHE_DIR=/app/models
# A fixed malloc mmap threshold keeps ONNX Runtime's freed tensors from piling up in the heap
# (about 250 MB of RSS per session; see packages/engine/src/process-env.ts, which holds the value).
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1
WORKDIR /app
# Read-only for the app; only /data (database files of the embedded mode, local storage) is its own.
COPY --from=build /out /app
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Ready = the database and the queue answer; the image has node, not curl. The worker (no HTTP) turns it off.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The server; the worker is `node apps/worker/dist/main.js`.
CMD ["node", "apps/server/dist/main.js"]
