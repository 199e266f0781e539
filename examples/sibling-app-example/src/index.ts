export { cutOutAvatar, cutOutAvatarFiles, cutOutAvatars, planAvatarBatch } from "./cutout-avatars.ts";
export type { AvatarBatch, AvatarBatchPlan, Cutout } from "./cutout-avatars.ts";
export { removeProjectBackgrounds } from "./project-backgrounds.ts";
export type { AvatarCreatorBatchStarted, ProjectBackgroundsSummary } from "./project-backgrounds.ts";
