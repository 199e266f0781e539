import { BATCH_LIMITS } from "@bgr/domain/limits";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { isJobSettled, isSettled } from "./contracts.ts";
import { toApiError } from "./errors.ts";
import { requestJson } from "./rest.ts";
import { trpc, type Tier } from "./trpc.ts";

/** Query keys in one place, so a mutation can invalidate exactly what it changed. */
export const keys = {
  account: ["account"] as const,
  stats: ["stats"] as const,
  subscription: ["subscription"] as const,
  tiers: ["tiers"] as const,
  quote: (tier: Tier, count: number) => ["quote", tier, count] as const,
  jobs: (page: number) => ["jobs", page] as const,
  job: (jobId: string) => ["job", jobId] as const,
  jobQueuePlace: (jobId: string) => ["job-queue-place", jobId] as const,
  batches: (page: number) => ["batches", page] as const,
  batch: (batchId: string) => ["batch", batchId] as const,
  devSignIn: ["dev-sign-in"] as const,
  signupMode: ["signup-mode"] as const,
  packs: ["credit-packs"] as const,
  payments: ["payments"] as const,
  apiKeys: ["api-keys"] as const,
  notifications: ["notifications"] as const,
};

export function useAccount(enabled = true) {
  return useQuery({ queryKey: keys.account, queryFn: () => trpc.account.me.query(), enabled });
}

/** While a plan payment is pending it is asked again every few seconds, so the plan shows up once paid. */
export function useSubscription() {
  return useQuery({
    queryKey: keys.subscription,
    queryFn: () => trpc.subscription.get.query(),
    refetchInterval: (query) => (query.state.data?.pendingPayment ? 2_000 : false),
  });
}

export function useTierPrices() {
  return useQuery({ queryKey: keys.tiers, queryFn: () => trpc.pricing.tiers.query(), staleTime: Infinity });
}

/** The server's quote (volume discount included) for `count` images; off while there is nothing to price. */
export function useQuote(tier: Tier, count: number) {
  return useQuery({
    queryKey: keys.quote(tier, count),
    queryFn: () => trpc.pricing.calculate.query({ tier, imageCount: count }),
    enabled: count >= 1 && count <= BATCH_LIMITS.maxImages,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
}

export function useJobs(page: number) {
  return useQuery({
    queryKey: keys.jobs(page),
    queryFn: () => trpc.jobs.list.query({ page, pageSize: 10 }),
    placeholderData: keepPreviousData,
  });
}

/** One job; asked again every 1.5 s while it is still pending or processing. */
export function useJob(jobId: string) {
  return useQuery({
    queryKey: keys.job(jobId),
    queryFn: () => trpc.jobs.get.query({ jobId }),
    refetchInterval: (query) => (query.state.data && !isJobSettled(query.state.data.status) ? 1500 : false),
    retry: (count, error) => toApiError(error).status !== 404 && count < 2,
  });
}

/** While a job waits or runs: how many are ahead of it and a rough wait, asked with each status poll. */
export function useJobQueuePlace(jobId: string, waiting: boolean) {
  return useQuery({
    queryKey: keys.jobQueuePlace(jobId),
    queryFn: () => trpc.jobs.queuePlace.query({ jobId }),
    enabled: waiting,
    refetchInterval: waiting ? 1500 : false,
  });
}

/** The newest job still running, so a form reloaded mid-removal can lead back to it (polled while there is one). */
export function useRunningJob() {
  return useQuery({
    queryKey: ["jobs", "running"],
    queryFn: async () => (await trpc.jobs.list.query({ page: 1, pageSize: 1, status: "processing" })).items[0] ?? null,
    refetchInterval: (query) => (query.state.data ? 3000 : false),
  });
}

export function useBatches(page: number) {
  return useQuery({
    queryKey: keys.batches(page),
    queryFn: () => trpc.batch.list.query({ page, pageSize: 10 }),
    placeholderData: keepPreviousData,
  });
}

/** Polls a batch every 1.5 s until it has settled (finished and zipped). */
export function useBatch(batchId: string) {
  return useQuery({
    queryKey: keys.batch(batchId),
    queryFn: () => trpc.batch.get.query({ batchId }),
    refetchInterval: (query) => (query.state.data && isSettled(query.state.data) ? false : 1500),
  });
}

/** Whether the server offers the one-click demo sign-in (BGR_MODE=development). */
export function useDevSignInAvailable() {
  return useQuery({
    queryKey: keys.devSignIn,
    queryFn: async () => {
      try {
        await requestJson<{ available: boolean }>("/dev/sign-in", { token: null });
        return true;
      } catch {
        return false;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
}

/** After money moved (a removal, a batch, a cancel): balance, quotas and history are stale. */
export function useRefreshAccount() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: keys.account }),
      client.invalidateQueries({ queryKey: keys.subscription }),
      client.invalidateQueries({ queryKey: ["jobs"] }),
      client.invalidateQueries({ queryKey: ["batches"] }),
      client.invalidateQueries({ queryKey: keys.stats }),
    ]);
}

export function useSignupMode() {
  return useQuery({
    queryKey: keys.signupMode,
    queryFn: async () => (await requestJson<{ signupMode: "open" | "invite" | "off" }>("/auth/config", { token: null })).signupMode,
    staleTime: Infinity,
  });
}

export function useCreditPacks() {
  return useQuery({ queryKey: keys.packs, queryFn: () => trpc.payments.packs.query(), staleTime: Infinity });
}

/** The user's payments; while one is pending it is asked again every few seconds, and the balance with it once one is paid. */
export function usePayments() {
  const client = useQueryClient();
  return useQuery({
    queryKey: keys.payments,
    queryFn: async () => {
      const before = client.getQueryData<{ paymentId: string; status: string }[]>(keys.payments) ?? [];
      const list = await trpc.payments.list.query();
      const newlyPaid = list.some((p) => p.status === "paid" && before.some((b) => b.paymentId === p.paymentId && b.status !== "paid"));
      if (newlyPaid) void client.invalidateQueries({ queryKey: keys.account });
      return list;
    },
    refetchInterval: (query) => (query.state.data?.some((p) => p.status === "pending") ? 2_000 : false),
  });
}

export function useApiKeys() {
  return useQuery({ queryKey: keys.apiKeys, queryFn: () => trpc.apiKeys.list.query() });
}
