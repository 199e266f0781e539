import type { en } from "./en.ts";

/** The shape every language fills: the English resource's keys, each a string. */
export type Resource = Strings<typeof en>;

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> };

// Keys and {{placeholders}} of t() and <Trans> are checked against the English resource.
declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
