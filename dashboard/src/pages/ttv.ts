// Time to value: from a start event (default: the first event) to the first value event;
// the histogram, the share reaching value within 1, 7 and 30 days, per signup-week cohort.

import { describe, type Schemas, withParams } from "../api";
import { bars, chart } from "../charts";
import { card, field, figure, h, notice, replace } from "../dom";
import { eventNames, nameList, parseWhere } from "../events";
import { daysAgo, duration, number, percent } from "../format";
import type { PageContext } from "../router";
import { dataTable } from "../table";

type Figures = Schemas["ValueFigures"];
type Answer = Schemas["TimeToValueAnswer"];

const WITHIN = ["1d", "7d", "30d"];

function withinColumns<T extends Figures>(): { label: string; value: (row: T) => number | null; cell: (row: T) => string; numeric: boolean }[] {
  return WITHIN.map((key) => ({
    label: `Within ${key}`,
    value: (row: T) => row.within[key]?.share ?? null,
    cell: (row: T) => `${percent(row.within[key]?.share, 0)} of ${number(row.within[key]?.eligible)}`,
    numeric: true,
  }));
}

function figureColumns<T extends Figures>(): { label: string; value: (row: T) => number | null; cell?: (row: T) => string; numeric: boolean }[] {
  return [
    { label: "Started", value: (row) => row.persons_started, numeric: true },
    { label: "Reached value", value: (row) => row.persons_reached_value, numeric: true },
    { label: "Median", value: (row) => row.median_seconds, cell: (row) => duration(row.median_seconds), numeric: true },
    { label: "p90", value: (row) => row.p90_seconds, cell: (row) => duration(row.p90_seconds), numeric: true },
    ...withinColumns<T>(),
  ];
}

function results(answer: Answer, breakdown: string): HTMLElement {
  const bucket = (entry: Answer["histogram"][number]): string => (entry.to_seconds === null ? `${duration(entry.from_seconds)}+` : `${duration(entry.from_seconds)}–${duration(entry.to_seconds)}`);
  return h(
    "div",
    {},
    h(
      "div",
      { class: "figures" },
      figure("Started", number(answer.persons_started)),
      figure("Reached value", number(answer.persons_reached_value)),
      figure("Median time to value", duration(answer.median_seconds), `p90 ${duration(answer.p90_seconds)}`),
      ...WITHIN.map((key) => figure(`Within ${key}`, percent(answer.within[key]?.share), `of ${number(answer.within[key]?.eligible)} who started ${key} or more ago`)),
    ),
    card("Time to value", chart("Persons by time to value", { type: "bar", data: { labels: answer.histogram.map(bucket), datasets: [bars("Persons", answer.histogram.map((entry) => entry.persons))] }, options: { plugins: { legend: { display: false } } } })),
    card("By signup week", dataTable([{ label: "Week of", value: (row) => row.cohort }, ...figureColumns<Answer["cohorts"][number]>()], answer.cohorts, { pageSize: 15 })),
    answer.breakdown ? card(`By ${breakdown}`, dataTable([{ label: "Value", value: (row: Figures & { value: string }) => row.value }, ...figureColumns<Figures & { value: string }>()], Object.entries(answer.breakdown).map(([value, figures]) => ({ ...figures, value })), { pageSize: 15 })) : null,
  );
}

export async function renderTtv(context: PageContext): Promise<void> {
  const { api, main, query } = context;
  const names = await eventNames(api);
  const start = h("input", { type: "text", list: "event-names", value: query.get("start") ?? "", placeholder: "first event (default)" });
  const value = h("input", { type: "text", list: "event-names", value: query.get("value") ?? "", required: true });
  const where = h("input", { type: "text", value: query.get("where") ?? "", placeholder: "properties.type=funnel (optional)" });
  const breakdown = h("input", { type: "text", value: query.get("breakdown") ?? "", placeholder: "account.plan (optional)" });
  const days = h("select", {}, ...[30, 90, 180, 365].map((count) => h("option", { value: count, selected: String(count) === (query.get("days") ?? "90") }, `Last ${count} days`)));
  const output = h("div");
  const run = async (event?: Event): Promise<void> => {
    event?.preventDefault();
    history.replaceState(null, "", withParams(location.pathname, { start: start.value, value: value.value, where: where.value, breakdown: breakdown.value, days: days.value }));
    const body: Record<string, unknown> = { value: { event: value.value.trim(), ...(parseWhere(where.value) ? { where: parseWhere(where.value) } : {}) }, from: daysAgo(Number(days.value)).toISOString() };
    if (start.value.trim()) body["start"] = { event: start.value.trim() };
    if (breakdown.value.trim()) body["breakdown"] = breakdown.value.trim();
    replace(output, h("p", { class: "loading" }, "Computing…"));
    try {
      replace(output, results(await api.send<Answer>("POST", "/api/v1/analytics/ttv", body), breakdown.value.trim()));
    } catch (error) {
      replace(output, notice("error", describe(error)));
    }
  };
  const form = h(
    "form",
    { class: "card toolbar", onsubmit: (event: Event) => void run(event) },
    field("Start event", start),
    field("Value event", value),
    field("Value filter", where),
    field("Breakdown", breakdown),
    field("Signed up in", days),
    h("button", { type: "submit", class: "primary" }, "Calculate"),
  );
  replace(main, h("h1", {}, "Time to value"), nameList("event-names", names), form, output);
  if (query.get("value")) await run();
}
