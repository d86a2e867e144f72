// Flows and surveys: every one with its status and key numbers; publish, pause, edit.

import type { Api, Schemas } from "../api";
import { describe } from "../api";
import { card, h, notice, replace } from "../dom";
import { type Experience, everyExperience, kindOf } from "../experiences";
import { dateTime, number, percent } from "../format";
import { type PageContext, link } from "../router";
import { dataTable } from "../table";

interface Row extends Experience {
  kind: string;
  reached: number | null;
  done: number | null;
}

async function keyNumbers(api: Api, experience: Experience): Promise<Row> {
  const kind = kindOf(experience.type);
  if (kind === "flow") {
    const report = await api.get<Schemas["ProgressReport"]>(`/api/v1/flows/${experience.id}/progress`, { limit: 1 });
    const reached = Object.values(report.summary).reduce((sum, count) => sum + count, 0);
    return { ...experience, kind, reached, done: report.summary["completed"] ?? 0 };
  }
  const scores = await api.get<Schemas["Scores"]>(`/api/v1/surveys/${experience.id}/scores`);
  return { ...experience, kind, reached: scores.response_rate.shown, done: scores.n };
}

async function setStatus(api: Api, row: Row, status: string): Promise<void> {
  await api.send("PATCH", `/api/v1/${row.kind}s/${row.id}`, { status });
}

function actions(context: PageContext, row: Row, status: HTMLElement): HTMLElement {
  const change = (next: string) => async (): Promise<void> => {
    try {
      await setStatus(context.api, row, next);
      context.navigate("/experiences");
    } catch (error) {
      replace(status, notice("error", describe(error)));
    }
  };
  const toggle =
    row.status === "live"
      ? h("button", { type: "button", onclick: () => void change("paused")() }, "Pause")
      : row.status !== "archived"
        ? h("button", { type: "button", class: "primary", onclick: () => void change("live")() }, "Publish")
        : null;
  return h("span", { class: "actions" }, link(`/edit/${row.kind}/${row.id}`, context.navigate, "Edit"), toggle);
}

export async function renderExperiences(context: PageContext): Promise<void> {
  const { api, main, navigate } = context;
  const rows = await Promise.all((await everyExperience(api)).map((experience) => keyNumbers(api, experience)));
  const status = h("div");
  replace(
    main,
    h("h1", {}, "Flows & surveys"),
    h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", class: "primary", onclick: () => navigate("/edit/survey/new") }, "New survey"),
      h("button", { type: "button", onclick: () => navigate("/edit/flow/new") }, "New flow"),
    ),
    status,
    card(
      "All",
      dataTable(
        [
          { label: "Name", value: (row) => row.name },
          { label: "Type", value: (row) => row.type },
          { label: "Status", value: (row) => row.status, cell: (row) => h("span", { class: `badge ${row.status}` }, row.status) },
          { label: "Version", value: (row) => row.version, numeric: true },
          { label: "Reached", value: (row) => row.reached, cell: (row) => number(row.reached), numeric: true },
          { label: "Completed / answered", value: (row) => row.done, cell: (row) => `${number(row.done)} (${percent(row.reached ? (row.done ?? 0) / row.reached : null, 0)})`, numeric: true },
          { label: "Updated", value: (row) => row.updated_at, cell: (row) => dateTime(row.updated_at) },
          { label: "Actions", value: () => null, cell: (row) => actions(context, row, status) },
        ],
        rows,
        { empty: "No flows or surveys yet." },
      ),
    ),
  );
}
