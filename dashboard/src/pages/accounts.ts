// Accounts: health score with its components and colour, the at-risk (red) filter, CSV;
// and each account's page (/accounts/<id>): traits, health, weekly activity, colour
// history and users.

import { collect, type Schemas } from "../api";
import { card, figure, h, replace } from "../dom";
import { number, percent } from "../format";
import { link, type PageContext } from "../router";
import { dataTable } from "../table";
import { renderAccount } from "./account";

type Health = Schemas["AccountHealth"];
type ComponentName = keyof Health["components"];

const COMPONENTS: ComponentName[] = ["frequency", "breadth", "depth", "sentiment"];
const FILTERS: Record<string, string> = { "": "All accounts", red: "At risk (red)", yellow: "Yellow", green: "Green" };

function componentColumn(name: ComponentName): { label: string; value: (row: Health) => number | null; cell: (row: Health) => string; numeric: boolean } {
  const value = (row: Health): number | null => row.components[name].value;
  return { label: name[0]!.toUpperCase() + name.slice(1), value, cell: (row) => percent(value(row), 0), numeric: true };
}

export async function renderAccounts(context: PageContext): Promise<void> {
  if (context.params[0]) return renderAccount(context, context.params[0]);
  const { api, main, navigate, query } = context;
  const status = query.get("status") ?? "";
  const { rows } = await collect<Health>(api, "/api/v1/accounts/health", { status }, 10_000);
  const counts = (wanted: string): number => rows.filter((row) => row.status === wanted).length;
  const filter = h(
    "select",
    { "aria-label": "Show", onchange: (event: Event) => navigate(`/accounts${(event.target as HTMLSelectElement).value ? `?status=${(event.target as HTMLSelectElement).value}` : ""}`) },
    ...Object.entries(FILTERS).map(([value, label]) => h("option", { value, selected: value === status }, label)),
  );
  const exportCsv = h("button", { type: "button", onclick: () => void api.download("/api/v1/accounts/health", { format: "csv", status }, "account-health.csv") }, "Export (CSV)");
  replace(
    main,
    h("h1", {}, "Accounts"),
    h("div", { class: "figures" }, figure("Accounts shown", number(rows.length)), figure("Red", number(counts("red"))), figure("Yellow", number(counts("yellow"))), figure("Green", number(counts("green")))),
    h("div", { class: "toolbar" }, filter, exportCsv),
    card(
      "Health, least healthy first",
      dataTable(
        [
          { label: "Account", value: (row) => row.name ?? row.group_id, cell: (row) => link(`/accounts/${encodeURIComponent(row.account_id)}`, navigate, row.name ?? row.group_id) },
          { label: "Id", value: (row) => row.group_id },
          { label: "Score", value: (row) => row.score, cell: (row) => number(row.score, 0), numeric: true },
          { label: "Health", value: (row) => row.status, cell: (row) => (row.status ? h("span", { class: `badge ${row.status}` }, row.status) : "–") },
          ...COMPONENTS.map(componentColumn),
        ],
        rows,
        { empty: "No accounts yet: they appear with group calls." },
      ),
    ),
  );
}
