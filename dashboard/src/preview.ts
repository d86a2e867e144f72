// A live preview of a flow or survey with the real widgets the SDK loads (served by the
// collector under /sdk/widgets/), fed the editor's definition as delivery would shape it.
// Nothing is recorded: the preview's host sends no events.

const WIDGET_OF: Record<string, string> = { nps: "survey", csat: "survey", ces: "survey" };
const LOCALE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

interface Mounted {
  destroy(): void;
}

interface WidgetModule {
  mount(experience: Record<string, unknown>, host: unknown): Mounted;
}

/** A definition's texts in one locale: ``{"en": …, "he": …}`` becomes the chosen string. */
export function localize(value: unknown, locale: string, fallback: string): unknown {
  if (Array.isArray(value)) return value.map((item) => localize(item, locale, fallback));
  if (!value || typeof value !== "object") return value;
  const entries = Object.entries(value);
  if (entries.length && entries.every(([key, text]) => LOCALE.test(key) && typeof text === "string")) {
    const texts = value as Record<string, string>;
    return texts[locale] ?? texts[fallback] ?? entries[0]![1];
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, localize(inner, locale, fallback)]));
}

/** What ``GET /v1/flows`` would deliver; tour steps centred, since their targets live in the app. */
function delivered(doc: Record<string, unknown>, kind: string, locale: string): Record<string, unknown> {
  const fallback = String(doc["default_locale"] ?? "en");
  const experience = localize(doc, locale, fallback) as Record<string, unknown>;
  const steps = Array.isArray(experience["steps"]) ? (experience["steps"] as Record<string, unknown>[]) : null;
  const ids = (entries: unknown, prefix: string): Record<string, unknown>[] =>
    (Array.isArray(entries) ? (entries as Record<string, unknown>[]) : []).map((entry, index) => ({ id: `${prefix}-${index + 1}`, ...entry }));
  return {
    ...experience,
    ...(steps ? { steps: ids(steps, "step").map((step) => ({ ...step, target: experience["type"] === "hotspot" ? step["target"] : null })) } : {}),
    ...(experience["items"] ? { items: ids(experience["items"], "item") } : {}),
    id: String(doc["id"] ?? "preview"),
    kind,
    version: Number(doc["version"] ?? 1),
    progress: { status: null, step: null, completed_items: [] },
  };
}

export async function showPreview(doc: Record<string, unknown>, kind: string, locale: string): Promise<Mounted> {
  const type = String(doc["type"]);
  const base = `${location.origin}/sdk/widgets/`;
  const module = (await import(`${base}${WIDGET_OF[type] ?? type}.js`)) as WidgetModule;
  const host = {
    track: () => undefined,
    onTrack: () => () => undefined,
    refresh: async () => undefined,
    locale,
    sessionId: "dashboard-preview",
    assetsBase: base,
    debug: () => undefined,
  };
  return module.mount(delivered(doc, kind, locale), host);
}
