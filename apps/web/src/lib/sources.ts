import type { Job } from "../api/trpc.ts";

type SourceApp = NonNullable<Job["source"]>["app"];

/** The Lumiku apps that send work here through their integrations, as users know them. */
export const SOURCE_LABELS: Record<SourceApp, string> = {
  "avatar-creator": "Avatar Creator",
  "carousel-mix": "Carousel Mix",
  "pose-generator": "Pose Generator",
  "image-upscaler": "Image Upscaler",
};
