/** The Lumiku apps this service imports images from (and, for the upscaler, sends images to). */
export const SIBLING_APPS = ["avatar-creator", "carousel-mix", "pose-generator", "image-upscaler"] as const;
export type SiblingApp = (typeof SIBLING_APPS)[number];

/** Apps whose images are listed per project. */
export type ProjectApp = Extract<SiblingApp, "avatar-creator" | "carousel-mix">;
