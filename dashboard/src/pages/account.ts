// One account's page: its traits, health components, weekly active users, the history of
// its health colour and its users. Traits and names are untrusted: text nodes only.

import type { Api, Page, Schemas } from "../api";
import { series, chart } from "../charts";
import { card, figure, h, replace } from "../dom";
import { dateTime, number, percent, text } from "../format";
import { link, type PageContext } from "../router";
import { dataTable } from "../table";

type User = Schemas["AccountUser"];
type Account = Schemas["AccountDetail"];

const WEEKS = 12;

function badge(status: string | null): HTMLElement | string {
  return status ? h("span", { class: `badge ${status}` }, status) : "–";
}

function details(component: Record<string, unknown>): string {
  return Object.entries(component)
    .filter(([key]) => key !== "value")
    .map(([key, value]) => `${key.replace(/_/g, " ")}: ${value === null ? "–" : text(value)}`)
    .join(" · ");
}

function componentsTable(account: Account): HTMLElement {
  const rows = Object.entries(account.health.components);
  return dataTable(
    [
      { label: "Component", value: (row) => row[0] },
      { label: "Value", value: (row) => row[1].value, cell: (row) => percent(row[1].value, 0), numeric: true },
      { label: "Inputs", value: (row) => details(row[1]) },
    ],
    rows,
    { pageSize: 10 },
  );
}

function traitsTable(account: Account): HTMLElement {
  return dataTable([{ label: "Trait", value: (row) => row[0] }, { label: "Value", value: (row) => text(row[1]) }], Object.entries(account.traits), { pageSize: 10, empty: "No traits: they come with group calls." });
}

function activityChart(account: Account): HTMLElement {
  const weeks = account.activity.weeks;
  return chart(`Weekly active users and events, weeks beginning Monday (${account.activity.tz})`, {
    type: "line",
    data: {
      labels: weeks.map((week) => week.week),
      datasets: [series("Active users", weeks.map((week) => week.active_users)), series("Events", weeks.map((week) => week.events), 1)],
    },
  });
}

function historyTable(account: Account): HTMLElement {
  const history = account.health_history;
  return dataTable(
    [
      { label: "When", value: (row) => row.at, cell: (row) => dateTime(row.at) },
      { label: "Health", value: (row) => row.status, cell: (row) => badge(row.status) },
      { label: "Before", value: (row) => row.previous, cell: (row) => (row.previous ? badge(row.previous) : "first evaluation") },
      { label: "Score", value: (row) => row.score, cell: (row) => number(row.score, 0), numeric: true },
    ],
    history.data,
    { pageSize: 10, empty: "Not evaluated yet: colours are recorded when health is evaluated.", caption: history.has_more ? "The latest 100 changes" : undefined },
  );
}

function usersTable(users: User[]): HTMLElement {
  return dataTable(
    [
      { label: "User", value: (row) => row.user_id ?? row.person_id },
      { label: "Name", value: (row) => row.name },
      { label: "Email", value: (row) => row.email },
      { label: "Last active", value: (row) => row.last_seen, cell: (row) => dateTime(row.last_seen) },
      { label: `Events (${WEEKS} weeks)`, value: (row) => row.events, cell: (row) => number(row.events), numeric: true },
    ],
    users,
    { pageSize: 25, empty: "No users: members join with group calls." },
  );
}

/** The users table, with a button that fetches the next page while there is one. */
function usersCard(api: Api, path: string, first: Page<User>): HTMLElement {
  const users = [...first.data];
  const box = h("div");
  const render = (page: Page<User>): void => {
    const more = page.has_more
      ? h("button", { type: "button", onclick: async () => {
          const next = await api.get<Account>(path, { weeks: WEEKS, cursor: page.next_cursor });
          users.push(...next.users.data);
          render(next.users);
        } }, "Load more users")
      : null;
    replace(box, usersTable(users), more);
  };
  render(first);
  return card("Users", box);
}

export async function renderAccount({ api, main, navigate }: PageContext, id: string): Promise<void> {
  const path = `/api/v1/accounts/${encodeURIComponent(id)}`;
  const account = await api.get<Account>(path, { weeks: WEEKS });
  const weeks = account.activity.weeks;
  const thisWeek = weeks[weeks.length - 1];
  replace(
    main,
    h("p", {}, link("/accounts", navigate, "← All accounts")),
    h("h1", {}, account.name ?? account.group_id),
    h(
      "div",
      { class: "figures" },
      figure("Health score", number(account.health.score, 0)),
      h("div", { class: "figure" }, h("span", { class: "figure-label" }, "Health"), h("strong", { class: "figure-value" }, badge(account.health.status))),
      figure("Active users this week", number(thisWeek?.active_users)),
      figure("Events this week", number(thisWeek?.events)),
    ),
    h("div", { class: "columns" }, card("Traits", h("p", {}, "Id: ", account.group_id), traitsTable(account)), card("Health components", componentsTable(account))),
    card(`Weekly activity, last ${WEEKS} weeks`, activityChart(account)),
    card("Health colour history", historyTable(account)),
    usersCard(api, path, account.users),
  );
}
