/**
 * Phones and tablets pick photos with a finger and cannot drop files, so they get touch wording
 * ("Choose a photo") and no "drop here". Read once: a device does not change its primary pointer.
 */
export const TOUCH_FIRST = typeof window !== "undefined" && window.matchMedia?.("(pointer: coarse)").matches === true;

/** The picker's words for one image or many, for this device. */
export function pickerWording(many: boolean): { title: string; button: string; againTitle: string; againButton: string } {
  if (TOUCH_FIRST) {
    return many
      ? { title: "Choose photos", button: "Choose photos", againTitle: "Add more photos", againButton: "Add photos" }
      : { title: "Choose a photo", button: "Choose a photo", againTitle: "Another photo?", againButton: "Choose another" };
  }
  return many
    ? { title: "Drop images here", button: "Choose images", againTitle: "Drop more images", againButton: "Add images" }
    : { title: "Drop an image here, or paste one", button: "Choose an image", againTitle: "Or drop another image", againButton: "Choose another" };
}
