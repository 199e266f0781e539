#!/usr/bin/env node
// The built CLI (`pnpm --filter @bgr/cli build` writes dist/).
await import("../dist/main.js");
