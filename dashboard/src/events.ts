// Event names the project has seen, for autocompleting analysis forms.

import { type Api, collect, type Schemas } from "./api";
import { daysAgo } from "./format";
import { h } from "./dom";

const SAMPLE = 5000;

export async function eventNames(api: Api, days = 30): Promise<string[]> {
  const { rows } = await collect<Schemas["ExportedEvent"]>(api, "/api/v1/events", { from: daysAgo(days).toISOString() }, SAMPLE);
  const names = new Set(rows.filter((row) => row.type === "track" && row.event).map((row) => row.event!));
  return [...names].sort();
}

/** A datalist of the names, for ``<input list=…>``. */
export function nameList(id: string, names: string[]): HTMLDataListElement {
  return h("datalist", { id }, ...names.map((name) => h("option", { value: name })));
}

/** ``properties.type=funnel`` as an analysis ``where``; empty text for none. */
export function parseWhere(text: string): Record<string, string> | undefined {
  const [key, ...rest] = text.split("=");
  if (!key?.trim() || !rest.length) return undefined;
  const name = key.trim().startsWith("properties.") ? key.trim() : `properties.${key.trim()}`;
  return { [name]: rest.join("=").trim() };
}
