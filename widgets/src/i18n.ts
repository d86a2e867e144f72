/**
 * Built-in strings (buttons, "2 of 5", scale ends, thank-you) in the languages Waypost ships
 * with. Texts of a definition come from the collector already in the user's locale; these are
 * the words around them. English is built in; every other language is a small chunk of its
 * own (`locales/`), fetched beside the stylesheet, so a widget carries one language only.
 * Unknown locales fall back to English.
 */

export type Key =
  | "next"
  | "back"
  | "done"
  | "close"
  | "of"
  | "send"
  | "thanks"
  | "nps_low"
  | "nps_high"
  | "csat_q"
  | "csat_low"
  | "csat_high"
  | "ces_q"
  | "ces_low"
  | "ces_high"
  | "yes"
  | "no"
  | "product"
  | "service"
  | "checklist"
  | "all_done"
  | "help"
  | "answer"
  | "dismiss"
  | "news"
  | "lists"
  | "new"
  | "more";

export type Table = Record<Key, string>;

export const en: Table = {
  next: "Next",
  back: "Back",
  done: "Done",
  close: "Close",
  of: "{0} of {1}",
  send: "Send",
  thanks: "Thank you for your feedback!",
  nps_low: "Not at all likely",
  nps_high: "Extremely likely",
  csat_q: "How satisfied are you?",
  csat_low: "Very unsatisfied",
  csat_high: "Very satisfied",
  ces_q: "How easy was it to get what you needed?",
  ces_low: "Very easy",
  ces_high: "Very difficult",
  yes: "Satisfied",
  no: "Not satisfied",
  product: "The product",
  service: "Our service",
  checklist: "Get started",
  all_done: "All done!",
  help: "Help",
  answer: "Your answer",
  dismiss: "Dismiss",
  news: "What's new",
  lists: "Your checklists",
  new: "New",
  more: "Learn more",
};

/** Languages with built-in strings; each but English is a chunk loaded when needed. */
export const LANGUAGES = ["en", "he", "ar", "zh", "es", "fr", "de"];

const RTL = new Set(["he", "ar", "fa", "ur", "yi"]);

/** The language of a BCP 47 tag, lower-cased: `he-IL` → `he`, `zh_Hant` → `zh`. */
export function language(locale: string): string {
  return (locale.split(/[-_]/)[0] ?? "").toLowerCase();
}

export function direction(locale: string): "rtl" | "ltr" {
  return RTL.has(language(locale)) ? "rtl" : "ltr";
}

/** The strings of `locale`'s language (English when Waypost has none, or they fail to load). */
export function strings(locale: string): Promise<Table> {
  const code = language(locale);
  if (code === "en" || !LANGUAGES.includes(code)) return Promise.resolve(en);
  return import(`./locales/${code}.ts`).then(
    (module: { default: Table }) => module.default,
    () => en,
  );
}

export type Translate = (key: Key, ...values: (string | number)[]) => string;

/** A lookup in `table`; `{0}`, `{1}` are replaced by `values`. */
export function translator(table: Table): Translate {
  return (key, ...values) =>
    table[key].replace(/\{(\d)\}/g, (_, index: string) => String(values[Number(index)] ?? ""));
}
