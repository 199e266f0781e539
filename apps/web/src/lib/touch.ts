import { i18n } from "../i18n/i18n.ts";

/**
 * Phones and tablets pick photos with a finger and cannot drop files, so they get touch wording
 * ("Choose a photo") and no "drop here". Read once: a device does not change its primary pointer.
 */
export const TOUCH_FIRST = typeof window !== "undefined" && window.matchMedia?.("(pointer: coarse)").matches === true;

/** The picker's words for one image or many, for this device. */
export function pickerWording(many: boolean): { title: string; button: string; againTitle: string; againButton: string } {
  return i18n.t(`picker.${TOUCH_FIRST ? "touch" : "pointer"}.${many ? "many" : "one"}`, { returnObjects: true });
}
