import { useTranslation } from "react-i18next";
import { chooseLanguage, currentLanguage, isLanguage, LANGUAGES } from "../i18n/i18n.ts";

/**
 * Indonesian or English, each named in its own language; applied at once and remembered. `compact`
 * (the header, which shares a phone's width with the balance) shows the codes, ID and EN; their
 * accessible names start with the code a person sees, then say the language.
 */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  return (
    <select
      className="language-switch"
      aria-label={t("language.label")}
      value={currentLanguage()}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isLanguage(next)) chooseLanguage(next);
      }}
    >
      {LANGUAGES.map((language) => (
        <option
          key={language}
          value={language}
          lang={language}
          aria-label={compact ? `${language.toUpperCase()} (${t(`language.${language}`)})` : undefined}
        >
          {compact ? language.toUpperCase() : t(`language.${language}`)}
        </option>
      ))}
    </select>
  );
}
