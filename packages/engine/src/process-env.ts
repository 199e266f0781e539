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
 *
 * Every mmapped block is new memory, so each run faults its ~0.9 GB of tensors in again, 4 KiB at a
 * time. `hugetlb=1` has malloc ask for transparent huge pages on those blocks (madvise; no effect
 * where THP is off): one 1024² pass on ORT 1.30, 2 threads, same peak RSS, fp16 1282-1305 ms ->
 * 973-993 ms, int8 824-841 ms -> 578-671 ms.
 */
export const ENGINE_PROCESS_ENV = { GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=131072:glibc.malloc.hugetlb=1" } as const;
