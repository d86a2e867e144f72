// Funnel builder: steps autocompleted from the project's events, window, order,
// exclusion, breakdown; conversion per step as bars with drop-off and time to convert;
// the persons who dropped off a step; funnels saved by name on the server (any script can
// read them too) and as links.

import { type Api, describe, type Schemas, withParams } from "../api";
import { bars, chart } from "../charts";
import { card, field, figure, h, notice, replace } from "../dom";
import { eventNames, nameList, parseWhere } from "../events";
import { daysAgo, duration, number, percent } from "../format";
import type { PageContext } from "../router";
import { dataTable } from "../table";

type Step = Schemas["FunnelStep"];
type Answer = Schemas["FunnelAnswer"];

type Definition = Schemas["Funnel"];

interface Draft {
  steps: { event: string; where: string }[];
  window: string;
  order: NonNullable<Definition["order"]>;
  days: number;
  exclude: string;
  breakdown: string;
}

/** The server keeps a definition as it was sent, once the funnel schema accepted it. */
type SavedFunnel = Omit<Schemas["SavedFunnel"], "definition"> & { definition: Definition };

type SavedStep = string | { event: string; where?: Record<string, unknown> };

const SAVED_PATH = "/api/v1/analytics/funnels";
const PERIODS = [7, 30, 90, 365];
const EMPTY: Draft = { steps: [{ event: "", where: "" }, { event: "", where: "" }], window: "14d", order: "ordered", days: 30, exclude: "", breakdown: "" };

function definitionOf(draft: Draft): Definition {
  const steps = draft.steps.filter((step) => step.event.trim()).map((step) => ({ event: step.event.trim(), ...(parseWhere(step.where) ? { where: parseWhere(step.where)! } : {}) }));
  const definition: Definition = { steps, window: draft.window, order: draft.order, from: daysAgo(draft.days).toISOString() };
  if (draft.exclude.trim()) definition.exclude = [{ event: draft.exclude.trim() }];
  if (draft.breakdown.trim()) definition.breakdown = draft.breakdown.trim();
  return definition;
}

function whereText(where: Record<string, unknown> | undefined): string {
  const [entry] = Object.entries(where ?? {});
  return entry ? `${entry[0]}=${String(entry[1])}` : "";
}

/** The form's draft of a saved definition. The period is the preset closest to the span
 * saved (from ``from`` to when it was saved), counted again from today. */
function draftOf(saved: SavedFunnel): Draft {
  const definition = saved.definition as unknown as Record<string, unknown>;
  const steps = ((definition.steps ?? []) as SavedStep[]).map((step) => (typeof step === "string" ? { event: step, where: "" } : { event: step.event, where: whereText(step.where) }));
  const span = definition.from ? (Date.parse(saved.updated_at) - Date.parse(String(definition.from))) / 86400_000 : 30;
  const days = PERIODS.reduce((best, option) => (Math.abs(option - span) < Math.abs(best - span) ? option : best), 30);
  const excluded = [definition.exclude ?? []].flat() as SavedStep[];
  const exclude = excluded[0] === undefined ? "" : typeof excluded[0] === "string" ? excluded[0] : excluded[0].event;
  return { steps, window: String(definition.window ?? "14d"), order: String(definition.order ?? "ordered") as Draft["order"], days, exclude, breakdown: String(definition.breakdown ?? "") };
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
  return h("div", { class: "steps" }, ...rows, add);
}

function optionInputs(draft: Draft): HTMLElement {
  const bind = <T extends HTMLInputElement | HTMLSelectElement>(control: T, write: (value: string) => void): T => {
    control.addEventListener("input", () => write(control.value));
    return control;
  };
  return h(
    "div",
    { class: "toolbar fields" },
    field("Conversion window", bind(h("input", { type: "text", value: draft.window, size: 6 }), (value) => (draft.window = value)), "7d, 36h"),
    field("Order", bind(h("select", {}, ...["ordered", "strict", "unordered"].map((order) => h("option", { value: order, selected: order === draft.order }, order))), (value) => (draft.order = value as Draft["order"]))),
    field("Period", bind(h("select", {}, ...PERIODS.map((days) => h("option", { value: days, selected: days === draft.days }, `Last ${days} days`))), (value) => (draft.days = Number(value)))),
    field("Exclude attempts with", bind(h("input", { type: "text", list: "event-names", value: draft.exclude, placeholder: "event (optional)" }), (value) => (draft.exclude = value))),
    field("Breakdown", bind(h("input", { type: "text", value: draft.breakdown, placeholder: "person.plan (optional)" }), (value) => (draft.breakdown = value))),
  );
}

async function droppedPersons(api: Api, definition: Definition, step: number, box: HTMLElement): Promise<void> {
  replace(box, h("p", { class: "loading" }, "Loading…"));
  try {
    const page = await api.send<Schemas["FunnelPersonsPage"]>("POST", "/api/v1/analytics/funnel/persons", { ...definition, step, dropped: true, limit: 1000 });
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

/** Open, save (a new name, or over the funnel of that name) and delete saved funnels. */
function savedControls(context: PageContext, draft: Draft, status: HTMLElement, opened: SavedFunnel | null): { bar: HTMLElement; name: HTMLInputElement; save: () => Promise<void> } {
  const { api } = context;
  const name = h("input", { type: "text", placeholder: "Funnel name", "aria-label": "Funnel name", value: opened?.name ?? "", maxlength: 200 });
  const bar = h("div", { class: "toolbar" });
  let saved: SavedFunnel[] = [];
  const open = (id: string): void => context.navigate(withParams("/funnels", { saved: id }));
  const remove = async (funnel: SavedFunnel): Promise<void> => {
    try {
      await api.send("DELETE", `${SAVED_PATH}/${encodeURIComponent(funnel.id)}`);
      history.replaceState(null, "", withParams(location.pathname, { q: JSON.stringify(draft) }));
      replace(status, notice("ok", `Deleted “${funnel.name}”.`));
      await refresh(null);
    } catch (error) {
      replace(status, notice("error", describe(error)));
    }
  };
  const refresh = async (current: SavedFunnel | null): Promise<void> => {
    saved = (await api.get<{ data: SavedFunnel[] }>(SAVED_PATH)).data;
    const chooser = h(
      "select",
      { "aria-label": "Saved funnels", onchange: (event: Event) => (event.target as HTMLSelectElement).value && open((event.target as HTMLSelectElement).value) },
      h("option", { value: "" }, "Open a saved funnel…"),
      ...saved.map((funnel) => h("option", { value: funnel.id, selected: funnel.id === current?.id }, funnel.name)),
    );
    const deletion = current ? h("button", { type: "button", class: "danger", onclick: () => void remove(current) }, `Delete “${current.name}”`) : null;
    replace(bar, chooser, deletion);
  };
  const save = async (): Promise<void> => {
    const wanted = name.value.trim();
    if (!wanted) return replace(status, notice("error", "Name the funnel to save it."));
    const body: Schemas["SavedFunnelBody"] = { name: wanted, definition: definitionOf(draft) };
    const existing = saved.find((funnel) => funnel.name === wanted);
    try {
      const stored = existing ? await api.send<SavedFunnel>("PUT", `${SAVED_PATH}/${encodeURIComponent(existing.id)}`, body) : await api.send<SavedFunnel>("POST", SAVED_PATH, body);
      history.replaceState(null, "", withParams(location.pathname, { saved: stored.id }));
      replace(status, notice("ok", `Saved as “${stored.name}”.`));
      await refresh(stored);
    } catch (error) {
      replace(status, notice("error", describe(error)));
    }
  };
  void refresh(opened).catch((error: unknown) => replace(status, notice("error", describe(error))));
  return { bar, name, save };
}

async function openedFunnel(api: Api, id: string | null): Promise<SavedFunnel | null> {
  return id ? api.get<SavedFunnel>(`${SAVED_PATH}/${encodeURIComponent(id)}`) : null;
}

export async function renderFunnel(context: PageContext): Promise<void> {
  const { api, main, query } = context;
  const opened = await openedFunnel(api, query.get("saved"));
  const draft: Draft = opened ? draftOf(opened) : query.get("q") ? (JSON.parse(query.get("q")!) as Draft) : structuredClone(EMPTY);
  const names = await eventNames(api);
  const form = h("form", { class: "card" });
  const output = h("div");
  const status = h("div");
  const { bar, name, save } = savedControls(context, draft, status, opened);
  const run = async (event?: Event): Promise<void> => {
    event?.preventDefault();
    const definition = definitionOf(draft);
    // A saved funnel's link stays its link; any other draft becomes one.
    const savedId = new URLSearchParams(location.search).get("saved");
    history.replaceState(null, "", withParams(location.pathname, savedId ? { saved: savedId } : { q: JSON.stringify(draft) }));
    replace(output, h("p", { class: "loading" }, "Computing…"));
    try {
      replace(output, results(api, definition, await api.send<Answer>("POST", "/api/v1/analytics/funnel", definition)));
    } catch (error) {
      replace(output, notice("error", describe(error)));
    }
  };
  const renderForm = (): void => replace(form, h("h2", {}, "Steps"), stepInputs(draft, renderForm), optionInputs(draft), h("div", { class: "toolbar" }, h("button", { type: "submit", class: "primary" }, "Calculate"), name, h("button", { type: "button", onclick: () => void save() }, "Save funnel")));
  form.addEventListener("submit", (event) => void run(event));
  renderForm();
  replace(main, h("h1", {}, "Funnels"), nameList("event-names", names), bar, status, form, output);
  if (opened || query.get("q")) await run();
}
