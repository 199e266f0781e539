import type { SiblingApp } from "@bgr/domain";

/** One image a sibling app offers. `url` is absolute; it is checked against the allowed hosts only when downloaded. */
export interface SiblingImage {
  id: string;
  /** A file name safe to show and to use in a zip: no path separators, never empty. */
  name: string;
  url: string;
}

/** The image-upscaler's answer to an upscale. */
export interface UpscaledImage extends SiblingImage {
  width: number;
  height: number;
}

/** What users read in messages, and which variable configures each app. */
export const SIBLING_APP_INFO = {
  "avatar-creator": { label: "Avatar Creator", envVar: "LUMIKU_AVATAR_CREATOR_URL" },
  "carousel-mix": { label: "Carousel Mix", envVar: "LUMIKU_CAROUSEL_MIX_URL" },
  "pose-generator": { label: "Pose Generator", envVar: "LUMIKU_POSE_GENERATOR_URL" },
  "image-upscaler": { label: "Image Upscaler", envVar: "LUMIKU_IMAGE_UPSCALER_URL" },
} as const satisfies Record<SiblingApp, { label: string; envVar: `LUMIKU_${string}_URL` }>;

export const MEDIA_HOSTS_ENV_VAR = "LUMIKU_MEDIA_HOSTS" as const;
