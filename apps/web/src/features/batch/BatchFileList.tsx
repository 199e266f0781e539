import { useTranslation } from "react-i18next";
import type { CandidateFile } from "../../lib/file-checks.ts";
import { Thumbnail } from "../../components/Thumbnail.tsx";
import { VirtualList } from "../../components/VirtualList.tsx";
import { formatBytes } from "../../lib/format.ts";

const ROW_HEIGHT = 64;

/** The picked files, windowed; each row shows its thumbnail and either "Ready" or why it was rejected. */
export function BatchFileList({
  files,
  disabled,
  onRemove,
}: {
  files: CandidateFile<File>[];
  disabled: boolean;
  onRemove: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <VirtualList
      items={files}
      rowHeight={ROW_HEIGHT}
      maxHeight={ROW_HEIGHT * 7}
      label={t("batch.files")}
      getKey={(candidate) => candidate.id}
      renderRow={(candidate) => (
        <div className={`file-row${candidate.reason ? " rejected" : ""}`}>
          {candidate.reason ? (
            <span className="file-thumb file-thumb-bad" aria-hidden="true">
              !
            </span>
          ) : (
            <Thumbnail className="file-thumb" file={candidate.file} />
          )}
          <div className="file-text">
            <span className="file-name" title={candidate.file.name}>
              {candidate.file.name}
            </span>
            <span className={candidate.reason ? "file-reason" : "file-ok"}>
              {candidate.reason ?? t("batch.fileReady", { size: formatBytes(candidate.file.size) })}
            </span>
          </div>
          <button
            type="button"
            className="icon-button"
            disabled={disabled}
            aria-label={t("batch.removeFile", { name: candidate.file.name })}
            onClick={() => onRemove(candidate.id)}
          >
            ×
          </button>
        </div>
      )}
    />
  );
}
