import { useTranslation } from "react-i18next";
import { chooseLanguage, currentLanguage, isLanguage, LANGUAGES } from "../i18n/i18n.ts";

/** Indonesian or English, each named in its own language; applied at once and remembered. */
export function LanguageSwitch({ className = "" }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <select
      className={`language-switch ${className}`.trim()}
      aria-label={t("language.label")}
      value={currentLanguage()}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isLanguage(next)) chooseLanguage(next);
      }}
    >
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {t(`language.${language}`)}
        </option>
      ))}
    </select>
  );
}
