# One image for the server and the worker (the command differs), built from the workspace.
FROM node:20-bookworm-slim
ENV PNPM_HOME=/pnpm PATH=/pnpm:$PATH CI=true
RUN npm install --global pnpm@10.34.9
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build
# Production mode only after the install: with it set, pnpm would skip the build tools.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
# A fixed malloc mmap threshold keeps ONNX Runtime's freed tensors from piling up in the heap
# (about 250 MB of RSS per session; see packages/engine/src/process-env.ts, which holds the value).
ENV GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072
VOLUME /data
EXPOSE 3000
CMD ["pnpm", "start"]
