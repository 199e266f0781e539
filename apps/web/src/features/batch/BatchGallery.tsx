import { useRef } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { BatchItem } from "../../api/contracts.ts";

/**
 * Finished results as they arrive. Signed links are re-signed on every poll; the first link seen for
 * an item is kept (valid for an hour) so images are not downloaded again each time.
 */
export function BatchGallery({ items }: { items: BatchItem[] }) {
  const { t } = useTranslation();
  const urls = useRef(new Map<string, string>());
  for (const item of items) if (item.processedUrl && !urls.current.has(item.jobId)) urls.current.set(item.jobId, item.processedUrl);

  return (
    <ul className="gallery" aria-label={t("batchProgress.results")}>
      {items.map((item) => {
        const url = urls.current.get(item.jobId);
        return (
          <li key={item.jobId} className="gallery-item">
            <div className="gallery-image checkerboard">
              {item.status === "completed" && url ? (
                <a href={url} target="_blank" rel="noreferrer" aria-label={t("gallery.open", { name: item.originalFileName })}>
                  <img src={url} alt={t("gallery.image", { name: item.originalFileName })} loading="lazy" decoding="async" />
                </a>
              ) : item.status === "failed" || item.status === "cancelled" ? (
                <span className="gallery-placeholder bad" aria-hidden="true">
                  ×
                </span>
              ) : (
                <span className="gallery-placeholder spinner" aria-hidden="true" />
              )}
            </div>
            <p className="gallery-name" title={item.originalFileName}>
              {item.originalFileName}
            </p>
            <p className={item.errorMessage ? "gallery-status text-bad" : "gallery-status"}>
              {item.errorMessage ?? statusWord(t, item.status)}
            </p>
          </li>
        );
      })}
    </ul>
  );
}

function statusWord(t: TFunction, status: string): string {
  switch (status) {
    case "completed":
      return t("gallery.done");
    case "processing":
      return t("gallery.working");
    case "pending":
      return t("gallery.waiting");
    case "cancelled":
      return t("gallery.cancelled");
    default:
      return status;
  }
}
