import type { ReactNode } from "react";
import { describeError } from "../lib/describe-error.ts";
import { toApiError } from "../api/errors.ts";

/** A failure, worded for people, announced to screen readers. */
export function ErrorNotice({ error, children, onDismiss }: { error: unknown; children?: ReactNode; onDismiss?: () => void }) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-text">{describeError(toApiError(error))}</p>
      {children}
      {onDismiss && (
        <button type="button" className="button-link" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
