// Funnel builder: steps autocompleted from the project's events, window, order,
// exclusion, breakdown; conversion per step as bars with drop-off and time to convert;
// the persons who dropped off a step; funnels saved by name (in this browser) and as links.

import { type Api, describe, withParams } from "../api";
import { bars, chart } from "../charts";
import { card, field, figure, h, notice, replace } from "../dom";
import { eventNames, nameList, parseWhere } from "../events";
import { daysAgo, duration, number, percent } from "../format";
import type { PageContext } from "../router";
import { dataTable } from "../table";

interface Step {
  event: string;
  persons: number;
  dropped?: number;
  conversion_from_first: number;
  conversion_from_previous: number;
  median_seconds_from_previous: number | null;
  average_seconds_from_previous: number | null;
}

interface Answer {
  steps: Step[];
  breakdown?: Record<string, Step[]>;
}

interface Definition {
  steps: { event: string; where?: Record<string, string> }[];
  window: string;
  order: string;
  from: string;
  exclude?: { event: string }[];
  breakdown?: string;
}

interface Draft {
  steps: { event: string; where: string }[];
  window: string;
  order: string;
  days: number;
  exclude: string;
  breakdown: string;
}

const SAVED_KEY = "waypost.funnels";
const EMPTY: Draft = { steps: [{ event: "", where: "" }, { event: "", where: "" }], window: "14d", order: "ordered", days: 30, exclude: "", breakdown: "" };

function definitionOf(draft: Draft): Definition {
  const steps = draft.steps.filter((step) => step.event.trim()).map((step) => ({ event: step.event.trim(), ...(parseWhere(step.where) ? { where: parseWhere(step.where)! } : {}) }));
  const definition: Definition = { steps, window: draft.window, order: draft.order, from: daysAgo(draft.days).toISOString() };
  if (draft.exclude.trim()) definition.exclude = [{ event: draft.exclude.trim() }];
  if (draft.breakdown.trim()) definition.breakdown = draft.breakdown.trim();
  return definition;
}

function savedFunnels(projectId: string): Record<string, Draft> {
  try {
    return (JSON.parse(localStorage.getItem(SAVED_KEY) ?? "{}") as Record<string, Record<string, Draft>>)[projectId] ?? {};
  } catch {
    return {};
  }
}

function saveFunnel(projectId: string, name: string, draft: Draft): void {
  const all = JSON.parse(localStorage.getItem(SAVED_KEY) ?? "{}") as Record<string, Record<string, Draft>>;
  all[projectId] = { ...(all[projectId] ?? {}), [name]: draft };
  localStorage.setItem(SAVED_KEY, JSON.stringify(all));
}

function stepInputs(draft: Draft, rerender: () => void): HTMLElement {
  const rows = draft.steps.map((step, index) => {
    const event = h("input", { type: "text", list: "event-names", value: step.event, "aria-label": `Step ${index + 1} event`, placeholder: "Event name" });
    const where = h("input", { type: "text", value: step.where, "aria-label": `Step ${index + 1} filter`, placeholder: "properties.type=funnel (optional)" });
    event.addEventListener("input", () => (step.event = event.value));
    where.addEventListener("input", () => (step.where = where.value));
    const remove = h("button", { type: "button", class: "danger", disabled: draft.steps.length <= 2, onclick: () => { draft.steps.splice(index, 1); rerender(); } }, "Remove");
    return h("div", { class: "toolbar" }, h("strong", {}, `${index + 1}.`), event, where, remove);
  });
  const add = h("button", { type: "button", disabled: draft.steps.length >= 20, onclick: () => { draft.steps.push({ event: "", where: "" }); rerender(); } }, "Add step");
  return h("div", {}, ...rows, add);
}

function optionInputs(draft: Draft): HTMLElement {
  const bind = <T extends HTMLInputElement | HTMLSelectElement>(control: T, write: (value: string) => void): T => {
    control.addEventListener("input", () => write(control.value));
    return control;
  };
  return h(
    "div",
    { class: "toolbar" },
    field("Conversion window", bind(h("input", { type: "text", value: draft.window, size: 6 }), (value) => (draft.window = value)), "7d, 36h"),
    field("Order", bind(h("select", {}, ...["ordered", "strict", "unordered"].map((order) => h("option", { value: order, selected: order === draft.order }, order))), (value) => (draft.order = value))),
    field("Period", bind(h("select", {}, ...[7, 30, 90, 365].map((days) => h("option", { value: days, selected: days === draft.days }, `Last ${days} days`))), (value) => (draft.days = Number(value)))),
    field("Exclude attempts with", bind(h("input", { type: "text", list: "event-names", value: draft.exclude, placeholder: "event (optional)" }), (value) => (draft.exclude = value))),
    field("Breakdown", bind(h("input", { type: "text", value: draft.breakdown, placeholder: "person.plan (optional)" }), (value) => (draft.breakdown = value))),
  );
}

async function droppedPersons(api: Api, definition: Definition, step: number, box: HTMLElement): Promise<void> {
  replace(box, h("p", { class: "loading" }, "Loading…"));
  try {
    const page = await api.send<{ data: { person_id: string; user_id: string | null }[]; has_more: boolean }>("POST", "/api/v1/analytics/funnel/persons", { ...definition, step, dropped: true, limit: 1000 });
    replace(
      box,
      h("h3", {}, `Reached step ${step}, not step ${step + 1}${page.has_more ? " (first 1,000)" : ""}`),
      dataTable([{ label: "User", value: (row) => row.user_id ?? "(anonymous)" }, { label: "Person", value: (row) => row.person_id }], page.data, { pageSize: 15, empty: "Nobody dropped off here." }),
    );
  } catch (error) {
    replace(box, notice("error", describe(error)));
  }
}

function personCount(count: number): string {
  return `${number(count)} ${count === 1 ? "person" : "persons"}`;
}

function stepsTable(api: Api, definition: Definition, steps: Step[], dropBox: HTMLElement): HTMLElement {
  return dataTable(
    [
      { label: "Step", value: (row) => steps.indexOf(row) + 1, numeric: true },
      { label: "Event", value: (row) => row.event },
      { label: "Persons", value: (row) => row.persons, cell: (row) => number(row.persons), numeric: true },
      { label: "From first", value: (row) => row.conversion_from_first, cell: (row) => percent(row.conversion_from_first), numeric: true },
      { label: "From previous", value: (row) => row.conversion_from_previous, cell: (row) => percent(row.conversion_from_previous), numeric: true },
      { label: "Median time", value: (row) => row.median_seconds_from_previous, cell: (row) => duration(row.median_seconds_from_previous), numeric: true },
      { label: "Average time", value: (row) => row.average_seconds_from_previous, cell: (row) => duration(row.average_seconds_from_previous), numeric: true },
      {
        label: "Dropped off",
        value: (row) => row.dropped ?? null,
        cell: (row) => {
          const index = steps.indexOf(row) + 1;
          if (index === steps.length) return "";
          return h("button", { type: "button", onclick: () => void droppedPersons(api, definition, index, dropBox) }, personCount(row.dropped ?? row.persons - steps[index]!.persons));
        },
        numeric: true,
      },
    ],
    steps,
    { pageSize: 20 },
  );
}

function results(api: Api, definition: Definition, answer: Answer): HTMLElement {
  const steps = answer.steps;
  const dropBox = h("div");
  const last = steps[steps.length - 1];
  const breakdown = Object.entries(answer.breakdown ?? {});
  return h(
    "div",
    {},
    h("div", { class: "figures" }, figure("Entered", number(steps[0]?.persons)), figure("Converted", number(last?.persons)), figure("Conversion", percent(last?.conversion_from_first))),
    card(
      "Conversion per step",
      chart("Persons at each step of the funnel", {
        type: "bar",
        data: {
          labels: steps.map((step, index) => `${index + 1}. ${step.event}`),
          datasets: [bars("Persons", steps.map((step) => step.persons)), bars("Dropped off since the previous step", steps.map((step, index) => (index ? steps[index - 1]!.persons - step.persons : 0)), 4)],
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } },
      }),
      stepsTable(api, definition, steps, dropBox),
      dropBox,
    ),
    breakdown.length
      ? card(
          `By ${definition.breakdown}`,
          dataTable(
            [
              { label: "Value", value: (row) => row[0] },
              { label: "Entered", value: (row) => row[1][0]?.persons ?? 0, numeric: true },
              { label: "Converted", value: (row) => row[1][row[1].length - 1]?.persons ?? 0, numeric: true },
              { label: "Conversion", value: (row) => row[1][row[1].length - 1]?.conversion_from_first ?? null, cell: (row) => percent(row[1][row[1].length - 1]?.conversion_from_first), numeric: true },
            ],
            breakdown,
            { pageSize: 10 },
          ),
        )
      : null,
  );
}

export async function renderFunnel(context: PageContext): Promise<void> {
  const { api, main, query } = context;
  const draft: Draft = query.get("q") ? (JSON.parse(query.get("q")!) as Draft) : structuredClone(EMPTY);
  const names = await eventNames(api);
  const form = h("form", { class: "card" });
  const output = h("div");
  const status = h("div");
  const saved = savedFunnels(api.project.id);
  const open = h("select", { "aria-label": "Saved funnels", onchange: (event: Event) => {
    const chosen = saved[(event.target as HTMLSelectElement).value];
    if (chosen) context.navigate(withParams("/funnels", { q: JSON.stringify(chosen) }));
  } }, h("option", { value: "" }, "Open a saved funnel…"), ...Object.keys(saved).sort().map((name) => h("option", { value: name }, name)));
  const name = h("input", { type: "text", placeholder: "Funnel name", "aria-label": "Funnel name" });
  const save = (): void => {
    if (!name.value.trim()) return replace(status, notice("error", "Name the funnel to save it."));
    saveFunnel(api.project.id, name.value.trim(), draft);
    replace(status, notice("ok", `Saved as “${name.value.trim()}”.`));
  };
  const run = async (event?: Event): Promise<void> => {
    event?.preventDefault();
    const definition = definitionOf(draft);
    history.replaceState(null, "", withParams(location.pathname, { q: JSON.stringify(draft) }));
    replace(output, h("p", { class: "loading" }, "Computing…"));
    try {
      replace(output, results(api, definition, await api.send<Answer>("POST", "/api/v1/analytics/funnel", definition)));
    } catch (error) {
      replace(output, notice("error", describe(error)));
    }
  };
  const renderForm = (): void => replace(form, h("h2", {}, "Steps"), stepInputs(draft, renderForm), optionInputs(draft), h("div", { class: "toolbar" }, h("button", { type: "submit", class: "primary" }, "Calculate"), name, h("button", { type: "button", onclick: save }, "Save funnel")));
  form.addEventListener("submit", (event) => void run(event));
  renderForm();
  replace(main, h("h1", {}, "Funnels"), nameList("event-names", names), h("div", { class: "toolbar" }, open), status, form, output);
  if (query.get("q")) await run();
}
