import { useId, useRef, useState, type DragEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ACCEPT_ATTRIBUTE, acceptedLabel } from "../lib/file-checks.ts";

interface DropZoneProps {
  multiple?: boolean;
  title: string;
  hint?: ReactNode;
  buttonLabel: string;
  disabled?: boolean;
  compact?: boolean;
  onFiles: (files: File[]) => void;
}

/** Drop images here or pick them with a real button (keyboard and screen-reader friendly). */
export function DropZone({ multiple = false, title, hint, buttonLabel, disabled = false, compact = false, onFiles }: DropZoneProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const hintId = useId();

  function take(list: FileList | null) {
    const files = list ? Array.from(list) : [];
    if (files.length > 0) onFiles(multiple ? files : files.slice(0, 1));
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    if (!disabled) take(event.dataTransfer.files);
  }

  return (
    <div
      className={`dropzone${dragging ? " dragging" : ""}${compact ? " compact" : ""}`}
      onDragOver={(event) => {
        event.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <svg className="dropzone-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path
          d="M12 16V4m0 0-4 4m4-4 4 4M4 16v3a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-3"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      <p className="dropzone-title">{title}</p>
      <p className="dropzone-hint" id={hintId}>
        {hint ?? t("files.hint", { types: acceptedLabel() })}
      </p>
      <button type="button" className="button" disabled={disabled} aria-describedby={hintId} onClick={() => input.current?.click()}>
        {buttonLabel}
      </button>
      <input
        ref={input}
        className="visually-hidden"
        type="file"
        tabIndex={-1}
        aria-hidden="true"
        accept={ACCEPT_ATTRIBUTE}
        multiple={multiple}
        onChange={(event) => {
          take(event.currentTarget.files);
          event.currentTarget.value = ""; // picking the same file again still fires change
        }}
      />
    </div>
  );
}
