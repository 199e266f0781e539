/**
 * Environment every process that runs the engine starts with: the Dockerfile, `pnpm start`,
 * `pnpm worker` and `pnpm bgr` set it (a test checks they match), and the benches give it to the
 * processes they measure.
 *
 * glibc raises its mmap threshold each time a large block is freed (up to 32 MB); after that ONNX
 * Runtime's per-run tensors come from the heap, which fragments and is not given back. With the
 * threshold fixed at 128 KiB, one 1024² ISNet session measured 305 MB idle instead of 555–570 MB,
 * and peaked at 0.90 GB per run instead of 1.10–1.19 GB, for the same CPU time. glibc reads it once,
 * at process start, so a running process cannot set it for itself.
 */
export const ENGINE_PROCESS_ENV = { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072" } as const;
