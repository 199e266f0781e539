import { BATCH_NAME_MAX_LENGTH } from "@bgr/domain/batch-names";
import { PLAIN_BATCH_OPTIONS, type BatchOptions } from "@bgr/domain/editor";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { BatchCreated } from "../../api/contracts.ts";
import { toApiError } from "../../api/errors.ts";
import { useAccount, useQuote, useRefreshAccount, useTierPrices } from "../../api/queries.ts";
import { uploadForm } from "../../api/rest.ts";
import type { Tier } from "../../api/trpc.ts";
import { DropZone } from "../../components/DropZone.tsx";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { TierPicker } from "../../components/TierPicker.tsx";
import { batchName } from "../../lib/batch-name.ts";
import { batchStartBlocker } from "../../lib/batch-start.ts";
import { fileReasons } from "../../lib/describe-error.ts";
import { acceptedFiles, addFiles, MAX_BATCH_FILES, type CandidateFile } from "../../lib/file-checks.ts";
import { formatBytes, formatNumber } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { pickerWording } from "../../lib/touch.ts";
import { useBackgroundFile } from "../results/use-background-file.ts";
import { BatchFileList } from "./BatchFileList.tsx";
import { BatchOutputOptions } from "./BatchOutputOptions.tsx";
import { BatchQuote } from "./BatchQuote.tsx";

/** Many images: pick up to 500, see each file's problems and the price, upload, then follow the batch. */
export function BatchPanel() {
  const { t } = useTranslation();
  const prices = useTierPrices();
  const account = useAccount();
  const refresh = useRefreshAccount();
  const [candidates, setCandidates] = useState<CandidateFile<File>[]>([]);
  const [tier, setTier] = useState<Tier>("standard");
  const [name, setName] = useState("");
  const [options, setOptions] = useState<BatchOptions>(PLAIN_BATCH_OPTIONS);
  const background = useBackgroundFile();
  const [progress, setProgress] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const accepted = useMemo(() => acceptedFiles(candidates), [candidates]);
  const rejected = candidates.length - accepted.length;
  const defaultName = accepted[0]
    ? batchName({ batchId: "", name: null, firstFileName: accepted[0].name, totalImages: accepted.length })
    : null;
  const totalBytes = useMemo(() => accepted.reduce((sum, file) => sum + file.size, 0), [accepted]);

  const upload = useMutation({
    mutationFn: (input: { files: File[]; tier: Tier; name: string; options: BatchOptions; background: File | null }) => {
      const form = new FormData();
      form.set("tier", input.tier);
      if (input.name.trim()) form.set("name", input.name);
      // Before the images, so the server refuses bad options before it receives them; none means plain PNGs.
      if (JSON.stringify(input.options) !== JSON.stringify(PLAIN_BATCH_OPTIONS)) form.set("options", JSON.stringify(input.options));
      if (input.options.background.kind === "image" && input.background) form.set("background", input.background, input.background.name);
      for (const file of input.files) form.append("images", file, file.name);
      abort.current = new AbortController();
      setProgress(0);
      return uploadForm<BatchCreated>("/batch", form, { onProgress: (p) => setProgress(p.fraction), signal: abort.current.signal });
    },
    onSuccess: (batch) => navigate(paths.batchDetail(batch.batchId)),
    onError: (error) => {
      // A 400 names the files the server refused: show each reason on its row.
      const reasons = fileReasons(toApiError(error).details);
      if (reasons.size > 0)
        setCandidates((list) =>
          list.map((c) => (c.reason === null && reasons.has(c.file.name) ? { ...c, reason: reasons.get(c.file.name)! } : c)),
        );
    },
    onSettled: () => refresh(),
  });

  const working = upload.isPending;
  const quote = useQuote(tier, accepted.length);
  const blocker = batchStartBlocker({
    acceptedCount: accepted.length,
    totalCredits: quote.data?.pricing.finalTotal,
    balance: account.data?.creditBalance,
    backgroundImageMissing: options.background.kind === "image" && background.file === null,
  });
  const wording = pickerWording(true);

  // Leaving mid-upload loses the upload; the browser asks first.
  useEffect(() => {
    if (!working) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [working]);

  return (
    <section className="panel" aria-labelledby="batch-title">
      <div className="panel-head">
        <h1 id="batch-title">{t("batch.title")}</h1>
        <p className="muted">{t("batch.lead", { max: MAX_BATCH_FILES })}</p>
      </div>

      <DropZone
        multiple
        compact={candidates.length > 0}
        title={candidates.length ? wording.againTitle : wording.title}
        buttonLabel={candidates.length ? wording.againButton : wording.button}
        disabled={working}
        onFiles={(files) => {
          upload.reset();
          setCandidates((list) => addFiles(list, files));
        }}
      />

      {candidates.length > 0 && (
        <div className="batch-files">
          <div className="batch-summary">
            <p role="status">
              <Trans i18nKey="batch.ready" values={{ ready: formatNumber(accepted.length) }} components={{ b: <strong /> }} />
              {rejected > 0 ? (
                <Trans
                  i18nKey="batch.rejected"
                  values={{ rejected: formatNumber(rejected) }}
                  components={{ bad: <strong className="text-bad" /> }}
                />
              ) : null}{" "}
              · {formatBytes(totalBytes)}
            </p>
            <div className="batch-summary-actions">
              {rejected > 0 && (
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={working}
                  onClick={() => setCandidates((list) => list.filter((c) => c.reason === null))}
                >
                  {t("batch.removeRejected")}
                </button>
              )}
              <button type="button" className="button button-quiet" disabled={working} onClick={() => setCandidates([])}>
                {t("batch.clearAll")}
              </button>
            </div>
          </div>
          <BatchFileList
            files={candidates}
            disabled={working}
            onRemove={(id) => setCandidates((list) => list.filter((c) => c.id !== id))}
          />
        </div>
      )}

      {defaultName && (
        <label className="field batch-name">
          <span className="field-label">{t("batch.nameLabel")}</span>
          <input
            className="input"
            value={name}
            maxLength={BATCH_NAME_MAX_LENGTH}
            disabled={working}
            placeholder={defaultName}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <span className="field-hint">{t("batch.nameHint", { example: defaultName })}</span>
        </label>
      )}

      <div className="batch-options">
        <TierPicker value={tier} onChange={setTier} prices={prices.data} subscription={null} disabled={working} showCoverage={false} />
        <BatchQuote tier={tier} count={accepted.length} />
      </div>

      <BatchOutputOptions
        options={options}
        onChange={setOptions}
        backgroundFile={background.file}
        onBackgroundFile={background.choose}
        disabled={working}
      />
      {background.problem && (
        <p className="notice notice-error" role="alert">
          {background.problem}
        </p>
      )}

      <div className="actions">
        <button
          type="button"
          className="button button-primary button-large"
          disabled={blocker !== null || working}
          aria-describedby={blocker ? "batch-start-blocker" : undefined}
          onClick={() => upload.mutate({ files: accepted, tier, name, options, background: background.file })}
        >
          {working ? t("batch.uploading") : t("batch.start", { count: accepted.length })}
        </button>
        {working && (
          <button type="button" className="button button-quiet" disabled={progress >= 1} onClick={() => abort.current?.abort()}>
            {t("common.cancelUpload")}
          </button>
        )}
      </div>
      {blocker && !working && candidates.length > 0 && (
        <p id="batch-start-blocker" className="muted small">
          {blocker}
        </p>
      )}
      {working &&
        (progress < 1 ? (
          <ProgressBar
            label={t("batch.uploadingCount", { count: accepted.length })}
            value={progress}
            detail={t("batch.uploadDetail", { percent: Math.round(progress * 100), size: formatBytes(totalBytes) })}
          />
        ) : (
          <ProgressBar label={t("batch.checking")} />
        ))}
      {upload.isError && <ErrorNotice error={upload.error} />}
    </section>
  );
}
