import type { Job } from "../api/trpc.ts";
import { i18n } from "../i18n/i18n.ts";

type SourceApp = NonNullable<Job["source"]>["app"];

/** The Lumiku app that sent work here through its integration, as users know it. */
export function sourceLabel(app: SourceApp): string {
  return i18n.t(`sources.${app}`);
}
