export { cutOutAvatar, cutOutAvatarFiles, cutOutAvatars, planAvatarBatch } from "./cutout-avatars.ts";
export type { AvatarBatch, AvatarBatchPlan, Cutout } from "./cutout-avatars.ts";
