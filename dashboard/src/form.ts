// Form controls bound to a path in a JSON document: what the editor is made of.
// Each control writes its value into the document as the user types; lists re-render
// through ``changed`` when an entry is added, moved or removed.

import { field, h } from "./dom";

export type Doc = Record<string, unknown>;
export type Path = (string | number)[];

export function getPath(doc: unknown, path: Path): unknown {
  let current: unknown = doc;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

export function setPath(doc: Doc, path: Path, value: unknown): void {
  let current: Record<string | number, unknown> = doc;
  path.slice(0, -1).forEach((key, index) => {
    if (current[key] === null || typeof current[key] !== "object") current[key] = typeof path[index + 1] === "number" ? [] : {};
    current = current[key] as Record<string | number, unknown>;
  });
  const last = path[path.length - 1]!;
  if (value === undefined || value === "") delete current[last];
  else current[last] = value;
}

export interface Binder {
  doc: Doc;
  locales: () => string[];
  changed: () => void;
}

export function textInput(binder: Binder, path: Path, label: string, hint?: string): HTMLElement {
  const value = getPath(binder.doc, path);
  const input = h("input", { type: "text", value: typeof value === "string" ? value : "" });
  input.addEventListener("input", () => setPath(binder.doc, path, input.value));
  return field(label, input, hint);
}

/** A number; ``empty`` is what a cleared input stands for (left out, or null to unset). */
export function numberInput(binder: Binder, path: Path, label: string, hint?: string, empty: null | undefined = undefined): HTMLElement {
  const value = getPath(binder.doc, path);
  const input = h("input", { type: "number", value: typeof value === "number" ? value : "" });
  input.addEventListener("input", () => setPath(binder.doc, path, input.value === "" ? empty : Number(input.value)));
  return field(label, input, hint);
}

export function select(binder: Binder, path: Path, label: string, options: string[], onChange?: () => void): HTMLElement {
  const value = String(getPath(binder.doc, path) ?? "");
  const control = h("select", {}, h("option", { value: "" }, "(default)"), ...options.map((option) => h("option", { value: option, selected: option === value }, option)));
  control.addEventListener("change", () => {
    setPath(binder.doc, path, control.value);
    onChange?.();
  });
  return field(label, control);
}

export function checkbox(binder: Binder, path: Path, label: string): HTMLElement {
  const input = h("input", { type: "checkbox", checked: getPath(binder.doc, path) === true });
  input.addEventListener("change", () => setPath(binder.doc, path, input.checked));
  return h("label", { class: "check" }, input, label);
}

/** A text users read: one input per locale; a plain string while there is one locale. */
export function localized(binder: Binder, path: Path, label: string, multiline = false): HTMLElement {
  const locales = binder.locales();
  const value = getPath(binder.doc, path);
  const texts: Record<string, string> = typeof value === "string" ? { [locales[0]!]: value } : { ...(value as Record<string, string> | undefined) };
  const write = (): void => {
    const filled = Object.fromEntries(Object.entries(texts).filter(([, text]) => text !== ""));
    const keys = Object.keys(filled);
    setPath(binder.doc, path, keys.length === 0 ? undefined : keys.length === 1 && keys[0] === locales[0] ? filled[keys[0]!] : filled);
  };
  const inputs = locales.map((locale) => {
    const control = multiline ? h("textarea", { rows: 2 }) : h("input", { type: "text" });
    control.value = texts[locale] ?? "";
    control.setAttribute("lang", locale);
    if (["he", "ar", "fa", "ur"].includes(locale)) control.setAttribute("dir", "rtl");
    control.addEventListener("input", () => {
      texts[locale] = control.value;
      write();
    });
    return field(locales.length > 1 ? `${label} (${locale})` : label, control);
  });
  return h("div", { class: "localized" }, ...inputs);
}

/** A list of objects, each edited by ``item``; entries can be added, moved and removed. */
export function list(binder: Binder, path: Path, noun: string, blank: () => Doc, item: (itemPath: Path) => HTMLElement[]): HTMLElement {
  const entries = (getPath(binder.doc, path) as Doc[] | undefined) ?? [];
  const edit = (change: (copy: Doc[]) => void) => (): void => {
    const copy = [...entries];
    change(copy);
    setPath(binder.doc, path, copy.length ? copy : undefined);
    binder.changed();
  };
  const rows = entries.map((_, index) =>
    h(
      "fieldset",
      { class: "entry" },
      h("legend", {}, `${noun} ${index + 1}`),
      ...item([...path, index]),
      h(
        "div",
        { class: "entry-actions" },
        h("button", { type: "button", onclick: edit((copy) => copy.splice(index - 1, 2, copy[index]!, copy[index - 1]!)), disabled: index === 0 }, "Move up"),
        h("button", { type: "button", class: "danger", onclick: edit((copy) => copy.splice(index, 1)) }, `Remove ${noun.toLowerCase()}`),
      ),
    ),
  );
  return h("div", { class: "list" }, ...rows, h("button", { type: "button", onclick: edit((copy) => copy.push(blank())) }, `Add ${noun.toLowerCase()}`));
}
