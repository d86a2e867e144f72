// Tables: sortable by any column (click or Enter on its header), paginated, scrolling
// sideways inside their own box on narrow screens.

import { type Child, h, replace } from "./dom";

export interface Column<T> {
  label: string;
  value: (row: T) => string | number | null;
  /** What the cell shows when it is more than its value (a link, a badge). */
  cell?: (row: T) => Child;
  numeric?: boolean;
}

export interface TableOptions {
  pageSize?: number;
  empty?: string;
  caption?: string;
}

interface Sort {
  column: number;
  descending: boolean;
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b));
}

export function dataTable<T>(columns: Column<T>[], rows: T[], options: TableOptions = {}): HTMLElement {
  const pageSize = options.pageSize ?? 25;
  const state = { page: 0, sort: null as Sort | null };
  const box = h("div", { class: "table-box" });

  const ordered = (): T[] => {
    const sort = state.sort;
    if (!sort) return rows;
    const value = columns[sort.column]!.value;
    const sorted = [...rows].sort((a, b) => compare(value(a), value(b)));
    return sort.descending ? sorted.reverse() : sorted;
  };

  const sortBy = (index: number): void => {
    const current = state.sort;
    state.sort = { column: index, descending: current?.column === index && !current.descending };
    state.page = 0;
    render();
  };

  const header = (column: Column<T>, index: number): HTMLElement => {
    const sort = state.sort;
    const direction = sort?.column === index ? (sort.descending ? "descending" : "ascending") : "none";
    const button = h("button", { type: "button", class: "sort", onclick: () => sortBy(index) }, column.label);
    return h("th", { scope: "col", "aria-sort": direction, class: column.numeric ? "num" : "" }, button);
  };

  const body = (visible: T[]): HTMLElement => {
    if (!visible.length) {
      return h("tbody", {}, h("tr", {}, h("td", { colspan: columns.length, class: "empty" }, options.empty ?? "Nothing yet.")));
    }
    return h(
      "tbody",
      {},
      ...visible.map((row) =>
        h("tr", {}, ...columns.map((column) => h("td", { class: column.numeric ? "num" : "" }, column.cell ? column.cell(row) : column.value(row)))),
      ),
    );
  };

  const pager = (pages: number): HTMLElement | null => {
    if (pages <= 1) return null;
    const go = (page: number) => () => {
      state.page = page;
      render();
    };
    return h(
      "nav",
      { class: "pager", "aria-label": "pages" },
      h("button", { type: "button", onclick: go(state.page - 1), disabled: state.page === 0 }, "Previous"),
      h("span", {}, `Page ${state.page + 1} of ${pages} · ${rows.length} rows`),
      h("button", { type: "button", onclick: go(state.page + 1), disabled: state.page >= pages - 1 }, "Next"),
    );
  };

  function render(): void {
    const all = ordered();
    const pages = Math.ceil(all.length / pageSize);
    const visible = all.slice(state.page * pageSize, (state.page + 1) * pageSize);
    const table = h(
      "table",
      {},
      options.caption ? h("caption", {}, options.caption) : null,
      h("thead", {}, h("tr", {}, ...columns.map(header))),
      body(visible),
    );
    replace(box, h("div", { class: "table-scroll" }, table), pager(pages));
  }

  render();
  return box;
}
