import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { keys, useRefreshAccount, useRunningJob, useSubscription, useTierPrices } from "../../api/queries.ts";
import { requestJson, uploadForm } from "../../api/rest.ts";
import type { Job, Tier } from "../../api/trpc.ts";
import { DropZone } from "../../components/DropZone.tsx";
import { ErrorNotice } from "../../components/ErrorNotice.tsx";
import { ProgressBar } from "../../components/ProgressBar.tsx";
import { TierPicker } from "../../components/TierPicker.tsx";
import { useObjectUrl } from "../../components/Thumbnail.tsx";
import { planCoverage } from "../../lib/coverage.ts";
import { checkDecodes } from "../../lib/decode-check.ts";
import { checkFile, imageTypeOf } from "../../lib/file-checks.ts";
import { creditCostLine, formatBytes, formatCredits } from "../../lib/format.ts";
import { navigate, paths } from "../../lib/route.ts";
import { pickerWording } from "../../lib/touch.ts";

/**
 * One image: pick, drop or paste it, choose a tier, upload with progress, then on to the result's own
 * page as soon as the server has charged it (wait=false), so a reload or a closed tab loses nothing.
 */
export function SinglePanel() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const prices = useTierPrices();
  const subscription = useSubscription();
  const refresh = useRefreshAccount();
  const [file, setFile] = useState<File | null>(null);
  // An image address instead of a file: the server fetches it (public hosts only).
  const [imageUrl, setImageUrl] = useState<string | null>(null);
  const [tier, setTier] = useState<Tier>("standard");
  const [progress, setProgress] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const preview = useObjectUrl(file);
  const running = useRunningJob();

  const removal = useMutation({
    mutationFn: (input: { file: File | null; imageUrl: string | null; tier: Tier }) => {
      if (!input.file) {
        setProgress(1);
        return requestJson<Job>("/remove", {
          method: "POST",
          body: { imageUrl: input.imageUrl, tier: input.tier, format: "png", wait: false },
        });
      }
      const form = new FormData();
      form.set("tier", input.tier);
      form.set("format", "png");
      form.set("wait", "false");
      form.set("image", input.file, input.file.name);
      abort.current = new AbortController();
      setProgress(0);
      return uploadForm<Job>("/remove", form, { onProgress: (p) => setProgress(p.fraction), signal: abort.current.signal });
    },
    // The result lives at its own URL, so reload, Back and a shared link show it again.
    onSuccess: (job) => {
      client.setQueryData(keys.job(job.jobId), job);
      navigate(paths.result(job.jobId));
    },
    onSettled: () => refresh(),
  });

  const working = removal.isPending;

  function pick(files: File[]) {
    removal.reset();
    setImageUrl(null);
    setFile(files[0] ?? null);
  }

  function takeAddress(address: string) {
    removal.reset();
    setFile(null);
    setImageUrl(address);
  }

  // Paste (Ctrl+V / ⌘V) anywhere on the page takes the first image on the clipboard.
  useEffect(() => {
    function onPaste(event: ClipboardEvent) {
      if (working || isTextField(event.target)) return;
      const image = Array.from(event.clipboardData?.files ?? []).find((f) => f.type.startsWith("image/"));
      if (!image) return;
      event.preventDefault();
      pick([
        image.name && image.name !== "image.png"
          ? image
          : new File([image], `pasted-${Date.now()}.${image.type.split("/")[1] ?? "png"}`, { type: image.type }),
      ]);
    }
    document.addEventListener("paste", onPaste);
    return () => document.removeEventListener("paste", onPaste);
  });

  const unreadable = useDecodeProblem(file);
  const problem = file ? (checkFile(file) ?? unreadable) : null;
  const wording = pickerWording(false);
  const price = prices.data?.[tier];
  const covered = planCoverage(subscription.data, tier).covered;

  function removeLabel(): string {
    if (covered) return t("single.remove") + t("common.planSuffix");
    return price === undefined ? t("single.remove") : t("single.removePrice", { price: formatCredits(price) });
  }

  return (
    <section className="panel" aria-labelledby="single-title">
      <div className="panel-head">
        <h1 id="single-title">{t("single.title")}</h1>
        <p className="muted">{t("single.lead")}</p>
      </div>
      {running.data && !removal.isPending && (
        <p className="notice" role="status">
          {t("single.stillRunning", { name: running.data.originalFileName })}{" "}
          <a
            href={paths.result(running.data.jobId)}
            onClick={(event) => {
              event.preventDefault();
              navigate(paths.result(running.data!.jobId));
            }}
          >
            {t("single.openRunning")}
          </a>
        </p>
      )}
      {imageUrl && !file ? (
        <div className="picked picked-address">
          <div className="picked-info">
            <p className="picked-name">{t("single.fromAddress")}</p>
            <p className="muted small url-text">{imageUrl}</p>
            <DropZone compact title={wording.againTitle} buttonLabel={wording.againButton} disabled={working} onFiles={pick} />
          </div>
        </div>
      ) : !file ? (
        <>
          <DropZone title={wording.title} buttonLabel={wording.button} onFiles={pick} />
          <ImageAddressForm onAddress={takeAddress} />
        </>
      ) : (
        <div className="picked">
          <div className="picked-preview checkerboard">
            {preview && !unreadable && <img src={preview} alt={t("single.preview", { name: file.name })} />}
          </div>
          <div className="picked-info">
            <p className="picked-name">{file.name}</p>
            <p className="muted small">{formatBytes(file.size)}</p>
            {problem && (
              <p className="notice notice-error" role="alert">
                {problem}
              </p>
            )}
            <DropZone compact title={wording.againTitle} buttonLabel={wording.againButton} disabled={working} onFiles={pick} />
          </div>
        </div>
      )}

      <TierPicker value={tier} onChange={setTier} prices={prices.data} subscription={subscription.data} disabled={working} />

      <div className="actions">
        <button
          type="button"
          className="button button-primary button-large"
          disabled={(!file && !imageUrl) || problem !== null || working}
          onClick={() => removal.mutate({ file, imageUrl, tier })}
        >
          {working ? t("common.working") : removeLabel()}
        </button>
        {working && (
          <button type="button" className="button button-quiet" onClick={() => abort.current?.abort()} disabled={progress >= 1}>
            {t("common.cancelUpload")}
          </button>
        )}
      </div>

      {!covered && price !== undefined && <p className="muted small credit-cost">{creditCostLine(price)}</p>}
      {working &&
        (progress < 1 ? (
          <ProgressBar label={t("single.uploading")} value={progress} />
        ) : (
          <ProgressBar label={t("single.removing")} detail={t("common.usuallySeconds")} />
        ))}
      {removal.isError && <ErrorNotice error={removal.error} />}
    </section>
  );
}

/** "Or use an image address": a URL the server fetches, for images already online (a shop, a CDN). */
function ImageAddressForm({ onAddress }: { onAddress: (address: string) => void }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  function submit(event: FormEvent) {
    event.preventDefault();
    const value = address.trim();
    if (!/^https?:\/\/\S+$/i.test(value)) return setProblem(t("single.addressInvalid"));
    setProblem(null);
    onAddress(value);
  }
  return (
    <form className="address-form" onSubmit={submit} noValidate>
      <label htmlFor="image-address" className="field-label">
        {t("single.addressLabel")}
      </label>
      <div className="address-row">
        <input
          id="image-address"
          className="input"
          type="url"
          inputMode="url"
          placeholder="https://…/photo.jpg"
          value={address}
          onChange={(event) => setAddress(event.currentTarget.value)}
        />
        <button type="submit" className="button">
          {t("single.addressUse")}
        </button>
      </div>
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** Why the browser could not read the picked image, once it has tried (null while trying or when fine). */
function useDecodeProblem(file: File | null): string | null {
  const [problem, setProblem] = useState<{ file: File; reason: string | null } | null>(null);
  useEffect(() => {
    if (!file) return;
    let current = true;
    void checkDecodes(file, imageTypeOf(file)).then((reason) => current && setProblem({ file, reason }));
    return () => {
      current = false;
    };
  }, [file]);
  return problem?.file === file ? problem.reason : null;
}

function isTextField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || target.tagName === "INPUT" || target.tagName === "TEXTAREA");
}
