// The editor of flows and surveys: a structured form over the definition, with the JSON
// itself one tab away for anything the form does not cover. Saves through the admin API.

import { ApiError, describe } from "../api";
import { card, field, h, notice, replace } from "../dom";
import { type Experience, FLOW_TYPES, type Kind, STATUSES, SURVEY_TYPES } from "../experiences";
import { type Binder, type Doc, type Path, checkbox, getPath, list, localized, numberInput, select, setPath, textInput } from "../form";
import { showPreview } from "../preview";
import type { PageContext } from "../router";

const META = ["id", "version", "created_at", "updated_at"];
const LOCALE = /^[a-z]{2,3}(-[A-Za-z]{2,4})?$/;

const BLANKS: Record<string, () => Doc> = {
  nps: () => ({ status: "draft", name: "NPS", type: "nps" }),
  csat: () => ({ status: "draft", name: "CSAT", type: "csat" }),
  ces: () => ({ status: "draft", name: "CES", type: "ces" }),
  tour: () => ({ status: "draft", name: "Welcome tour", type: "tour", steps: [{ title: "Welcome", body: "Let us show you around." }] }),
  checklist: () => ({ status: "draft", name: "Get started", type: "checklist", items: [{ title: "Create a report", completed_by: { event: "Report Created" } }] }),
  announcement: () => ({ status: "draft", name: "What's new", type: "announcement", display: "modal", steps: [{ title: "New", body: "Something new." }] }),
  hotspot: () => ({ status: "draft", name: "Hotspot", type: "hotspot", steps: [{ target: "#help", title: "Help", body: "Find help here." }] }),
  resource_center: () => ({ status: "draft", name: "Help", type: "resource_center", links: [{ title: "Docs", url: "https://example.com/docs" }] }),
};

/** Locales other than the default that some text of the definition is written in. */
function extraLocales(doc: Doc): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      const entries = Object.entries(value);
      if (entries.length && entries.every(([key, text]) => LOCALE.test(key) && typeof text === "string")) entries.forEach(([key]) => found.add(key));
      else entries.forEach(([, inner]) => visit(inner));
    }
  };
  visit(doc);
  found.delete(String(doc["default_locale"] ?? "en"));
  return [...found];
}

function stepFields(binder: Binder, path: Path): HTMLElement[] {
  return [
    localized(binder, [...path, "title"], "Title"),
    localized(binder, [...path, "body"], "Body", true),
    textInput(binder, [...path, "target"], "Target (CSS selector)", "empty: a centred modal"),
    select(binder, [...path, "placement"], "Placement", ["auto", "top", "bottom", "start", "end"]),
  ];
}

function questionFields(binder: Binder, path: Path): HTMLElement[] {
  const choices = (getPath(binder.doc, [...path, "choices"]) as { label: unknown }[] | undefined) ?? [];
  const lines = h("textarea", { rows: 3 });
  lines.value = choices.map((choice) => (typeof choice.label === "string" ? choice.label : JSON.stringify(choice.label))).join("\n");
  lines.addEventListener("input", () => {
    const labels = lines.value.split("\n").map((line) => line.trim()).filter(Boolean);
    setPath(binder.doc, [...path, "choices"], labels.length ? labels.map((label, index) => ({ id: `choice-${index + 1}`, label })) : undefined);
  });
  return [
    textInput(binder, [...path, "id"], "Id"),
    select(binder, [...path, "type"], "Type", ["text", "single_choice", "multiple_choice"]),
    localized(binder, [...path, "text"], "Question"),
    field("Choices (one per line)", lines),
  ];
}

function cesScale(binder: Binder): HTMLElement {
  const current = Number(getPath(binder.doc, ["scale", "max"]) ?? 7);
  const control = h("select", {}, ...[7, 10].map((max) => h("option", { value: max, selected: max === current }, `1 to ${max}`)));
  control.addEventListener("change", () => setPath(binder.doc, ["scale"], { min: 1, max: Number(control.value) }));
  return field("Scale", control);
}

function contentSection(binder: Binder): HTMLElement {
  const type = String(binder.doc["type"]);
  const parts: HTMLElement[] = [];
  if (SURVEY_TYPES.includes(type)) {
    parts.push(localized(binder, ["question"], "Question"));
    if (type === "nps") parts.push(localized(binder, ["follow_up", "default"], "Follow-up question"));
    if (type === "csat") parts.push(checkbox(binder, ["scale", "binary"], "Yes/no answer instead of 1–5"));
    if (type === "ces") parts.push(cesScale(binder));
    parts.push(h("h3", {}, "Further questions"), list(binder, ["questions"], "Question", () => ({ id: `q${Date.now() % 1000}`, type: "text", text: "Why?" }), (path) => questionFields(binder, path)));
  } else if (type === "checklist") {
    parts.push(list(binder, ["items"], "Item", () => ({ title: "New item" }), (path) => [localized(binder, [...path, "title"], "Title"), localized(binder, [...path, "description"], "Description"), textInput(binder, [...path, "completed_by", "event"], "Completed by event")]));
  } else if (type === "resource_center") {
    parts.push(list(binder, ["links"], "Link", () => ({ title: "Link", url: "https://" }), (path) => [localized(binder, [...path, "title"], "Title"), textInput(binder, [...path, "url"], "URL")]));
  } else {
    if (type === "announcement") parts.push(select(binder, ["display"], "Display", ["modal", "banner"]), textInput(binder, ["cta_url"], "Button link", "optional: /reports or https://…"));
    parts.push(list(binder, ["steps"], "Step", () => ({ title: "Step", body: "" }), (path) => stepFields(binder, path)));
  }
  return card("Content", ...parts);
}

function ruleFields(binder: Binder, path: Path): HTMLElement[] {
  const type = String(getPath(binder.doc, [...path, "type"]) ?? "trait");
  const kind = select(binder, [...path, "type"], "Rule", ["trait", "account_trait", "event", "first_seen", "url", "locale"], binder.changed);
  const value = h("input", { type: "text", value: JSON.stringify(getPath(binder.doc, [...path, "value"]) ?? "") });
  value.addEventListener("input", () => {
    let parsed: unknown = value.value;
    try {
      parsed = JSON.parse(value.value);
    } catch {
      // plain text: kept as a string
    }
    setPath(binder.doc, [...path, "value"], parsed);
  });
  const byType: Record<string, HTMLElement[]> = {
    trait: [textInput(binder, [...path, "name"], "Trait"), select(binder, [...path, "op"], "Operator", ["eq", "neq", "in", "not_in", "gt", "gte", "lt", "lte", "contains", "exists", "not_exists"]), field("Value (JSON)", value)],
    event: [textInput(binder, [...path, "event"], "Event"), select(binder, [...path, "op"], "Operator", ["did", "did_not"]), numberInput(binder, [...path, "min_count"], "At least, times"), numberInput(binder, [...path, "within_days"], "Within days")],
    first_seen: [numberInput(binder, [...path, "min_days"], "First seen at least, days ago"), numberInput(binder, [...path, "max_days"], "At most, days ago")],
    url: [textInput(binder, [...path, "pattern"], "URL pattern", "/app/* or https://…")],
    locale: [textInput(binder, [...path, "in", 0], "Locale")],
  };
  return [kind, ...(byType[type] ?? byType["trait"]!).map((element) => element)];
}

function targetingSection(binder: Binder): HTMLElement {
  const trigger = String(getPath(binder.doc, ["trigger", "type"]) ?? "page_load");
  const pageUrl = textInput(binder, ["trigger", "url"], "On pages matching", "optional, e.g. /app/*");
  // Without a chosen trigger the page-load fields are shown: a pattern typed there makes it one.
  pageUrl.addEventListener("input", () => {
    if (getPath(binder.doc, ["trigger", "type"]) === undefined) setPath(binder.doc, ["trigger", "type"], "page_load");
  });
  const triggerFields: Record<string, HTMLElement[]> = {
    page_load: [pageUrl],
    event: [textInput(binder, ["trigger", "event"], "When this event is tracked")],
    delay: [numberInput(binder, ["trigger", "seconds"], "After seconds on the page")],
    manual: [],
  };
  const survey = SURVEY_TYPES.includes(String(binder.doc["type"]));
  return card(
    "Targeting, trigger and throttling",
    numberInput(binder, ["audience", "sample_percent"], "Sample percent", "a stable share of users, 1–100"),
    h("h3", {}, "Audience rules (all must hold)"),
    list(binder, ["audience", "rules"], "Rule", () => ({ type: "trait", name: "plan", op: "eq", value: "pro" }), (path) => ruleFields(binder, path)),
    h("h3", {}, "Trigger"),
    select(binder, ["trigger", "type"], "Show", ["page_load", "event", "delay", "manual"], binder.changed),
    ...(triggerFields[trigger] ?? []),
    h("h3", {}, "Throttling"),
    survey ? numberInput(binder, ["throttle", "reask_days"], "Ask again after days") : checkbox(binder, ["throttle", "show_once"], "Show once"),
    numberInput(binder, ["throttle", "max_dismissals"], "Stop after dismissals"),
  );
}

function basicsSection(binder: Binder, isNew: boolean, locales: HTMLInputElement): HTMLElement {
  const kind: Kind = SURVEY_TYPES.includes(String(binder.doc["type"])) ? "survey" : "flow";
  const types = kind === "survey" ? SURVEY_TYPES : FLOW_TYPES;
  const changeType = (): void => {
    const fresh = BLANKS[String(binder.doc["type"])]!();
    for (const key of Object.keys(binder.doc)) if (!["name", "status", "priority"].includes(key)) delete binder.doc[key];
    Object.assign(binder.doc, { ...fresh, name: binder.doc["name"] ?? fresh["name"] });
    binder.changed();
  };
  return card(
    "Basics",
    textInput(binder, ["name"], "Name"),
    isNew ? select(binder, ["type"], "Type", types, changeType) : field("Type", h("input", { type: "text", value: String(binder.doc["type"]), readonly: true })),
    select(binder, ["status"], "Status", STATUSES),
    numberInput(binder, ["priority"], "Priority", "higher shows first"),
    textInput(binder, ["default_locale"], "Default language", "en unless set"),
    field("Translations", locales, "other languages, comma-separated, e.g. he, ar, fr"),
    h("h3", {}, "Theme"),
    textInput(binder, ["theme", "accent"], "Accent colour", "#0b5cff"),
    textInput(binder, ["theme", "radius"], "Corner radius", "8px"),
  );
}

function jsonTab(binder: Binder, status: HTMLElement): HTMLElement {
  const area = h("textarea", { rows: 24, class: "code", spellcheck: "false", "aria-label": "Definition as JSON" });
  area.value = JSON.stringify(binder.doc, null, 2);
  const apply = (): void => {
    try {
      const parsed = JSON.parse(area.value) as Doc;
      for (const key of Object.keys(binder.doc)) delete binder.doc[key];
      Object.assign(binder.doc, parsed);
      binder.changed();
    } catch (error) {
      replace(status, notice("error", `Not valid JSON: ${String(error)}`));
    }
  };
  return card("JSON", area, h("button", { type: "button", onclick: apply }, "Apply JSON to the form"));
}

async function save(context: PageContext, kind: Kind, id: string | null, doc: Doc, status: HTMLElement): Promise<void> {
  const body = Object.fromEntries(Object.entries(doc).filter(([key]) => !META.includes(key) && !(id && key === "type")));
  try {
    const saved = id ? await context.api.send<Experience>("PATCH", `/api/v1/${kind}s/${id}`, body) : await context.api.send<Experience>("POST", `/api/v1/${kind}s`, body);
    context.navigate(`/edit/${kind}/${saved.id}?saved=${saved.version}`);
  } catch (error) {
    const fields = error instanceof ApiError ? error.fields : {};
    replace(status, notice("error", describe(error)), Object.keys(fields).length ? h("p", {}, "Nothing was saved.") : null);
  }
}

export async function renderEditor(context: PageContext): Promise<void> {
  const { api, main, params, query } = context;
  const kind: Kind = params[0] === "flow" ? "flow" : "survey";
  const id = params[1] && params[1] !== "new" ? params[1] : null;
  const doc: Doc = id ? await api.get<Doc>(`/api/v1/${kind}s/${id}`) : BLANKS[kind === "survey" ? "nps" : "tour"]!();
  const status = h("div", { class: "status" });
  if (query.get("saved")) replace(status, notice("ok", `Saved as version ${query.get("saved")}.`));
  const locales = h("input", { type: "text", value: extraLocales(doc).join(", ") });
  const binder: Binder = {
    doc,
    locales: () => [String(doc["default_locale"] ?? "en"), ...locales.value.split(",").map((locale) => locale.trim()).filter(Boolean)],
    changed: () => render(),
  };
  locales.addEventListener("change", () => render());
  const tabs = { current: "form" };
  const form = h("div");
  function render(): void {
    const body = tabs.current === "json" ? [jsonTab(binder, status)] : [basicsSection(binder, !id, locales), contentSection(binder), targetingSection(binder)];
    replace(form, ...body);
  }
  const tabButtons: HTMLButtonElement[] = [];
  const tab = (name: string, label: string): HTMLButtonElement => {
    const button = h("button", { type: "button", role: "tab", "aria-selected": String(name === tabs.current), onclick: () => {
      tabs.current = name;
      tabButtons.forEach((other) => other.setAttribute("aria-selected", String(other === button)));
      render();
    } }, label);
    tabButtons.push(button);
    return button;
  };
  const submit = (publish: boolean) => (event: Event): void => {
    event.preventDefault();
    if (publish) doc["status"] = "live";
    void save(context, kind, id, doc, status);
  };
  render();
  const current: { preview: { destroy(): void } | null } = { preview: null };
  context.onLeave(() => current.preview?.destroy());
  const previewLocale = h("select", { "aria-label": "Preview language" }, ...binder.locales().map((locale) => h("option", { value: locale }, locale)));
  locales.addEventListener("change", () => replace(previewLocale, ...binder.locales().map((locale) => h("option", { value: locale }, locale))));
  const preview = async (): Promise<void> => {
    current.preview?.destroy();
    try {
      current.preview = await showPreview(doc, kind, previewLocale.value || binder.locales()[0]!);
    } catch (error) {
      replace(status, notice("error", `The preview could not load the widgets: ${describe(error)}`));
    }
  };
  replace(
    main,
    h("h1", {}, id ? `Edit ${String(doc["name"] ?? "")}` : `New ${kind}`),
    status,
    h("div", { class: "toolbar", role: "tablist" }, tab("form", "Form"), tab("json", "JSON")),
    h("form", { class: "editor", onsubmit: submit(false) }, form, h("div", { class: "toolbar sticky" }, h("button", { type: "submit" }, "Save"), h("button", { type: "button", class: "primary", onclick: submit(true) }, "Save and publish"), h("button", { type: "button", onclick: () => void preview() }, "Preview"), previewLocale)),
  );
}
