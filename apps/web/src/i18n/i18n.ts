import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en.ts";
import { id } from "./id.ts";
import "./resource.ts";

export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Numbers and dates follow the language; money stays rupiah in id-ID in both (formatRupiah). */
const LOCALES: Record<Language, string> = { id: "id-ID", en: "en-US" };
const STORAGE_KEY = "bgr.language";

/** The one i18next instance: components read it through react-i18next, the worded helpers in lib through `i18n.t`. */
export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, id: { translation: id } },
  lng: "en",
  fallbackLng: "en",
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes
  initAsync: false,
});

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The saved choice, else the first language the browser asks for that we have (Indonesian or
 * English), else English.
 */
export function preferredLanguage(saved: string | null, browserLanguages: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "en";
}

/** The BCP 47 locale numbers and dates are written in (id-ID or en-US). */
export function locale(): string {
  return LOCALES[currentLanguage()];
}

/** Called once by the entry point: the saved or the browser's language, and `<html lang>` kept in step. */
export function startLanguage(): void {
  i18n.on("languageChanged", (language) => document.documentElement.setAttribute("lang", language));
  void i18n.changeLanguage(preferredLanguage(readSaved(), navigator.languages ?? [navigator.language]));
  document.documentElement.setAttribute("lang", currentLanguage());
}

/** The switch in the header and on the sign-in card: applied at once, remembered in this browser. */
export function chooseLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage can be off (private mode); the choice still holds for this visit.
  }
  void i18n.changeLanguage(language);
}

function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}
