/**
 * Checklists: a launcher with the number of items left, and a panel listing each item with
 * its state. Items tick themselves when the person does the action (the collector completes
 * them from the matching event; the widget ticks at once and then adopts what the collector
 * reports) and by hand where the definition allows. The checklist is completed when its
 * items are: the collector derives that from them, so the widget sends no `Flow Completed`.
 */

import { returnFocus, trap } from "./a11y";
import { h, list, Scope, text, uid } from "./dom";
import { frame, whenReady, type Frame } from "./frame";
import type { DeliveredExperience, MountedWidget, Properties, WidgetHost } from "./host";
import { button } from "./popover";
import { recorder, type Recorder } from "./record";

export interface Item {
  id: string;
  title?: unknown;
  description?: unknown;
  completed_by?: { event: string; where?: Record<string, unknown> } | null;
  manual?: boolean;
}

/** How long the collector is given to store an event before the checklist asks again. */
export const REFRESH_DELAYS_MS = [1500, 4000];

/** Whether a tracked event completes `item` (`where`: `properties.<name>` equals a value). */
export function completes(item: Item, event: string, properties: Properties): boolean {
  const rule = item.completed_by;
  if (!rule || rule.event !== event) return false;
  return Object.entries(rule.where ?? {}).every(
    ([key, value]) => key.startsWith("properties.") && properties[key.slice(11)] === value,
  );
}

export function tickable(item: Item): boolean {
  return !item.completed_by || item.manual === true;
}

class Checklist {
  private readonly items: Item[];
  private readonly done: Set<string>;
  private readonly record: Recorder;
  private readonly panelId = uid("panel");
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLDivElement;
  /** Listeners of the rendered rows, replaced with them. */
  private rows = new Scope();

  constructor(
    private readonly experience: DeliveredExperience,
    private readonly host: WidgetHost,
    private readonly view: Frame,
    private readonly close: () => void,
  ) {
    this.items = list<Item>(experience.items);
    this.done = new Set(this.progress()?.completed_items ?? []);
    this.record = recorder(experience, host);
    this.launcher = h("button", { type: "button", class: "wp-launch", "aria-expanded": "false", "aria-controls": this.panelId });
    this.panel = h("div", { role: "dialog", class: "wp-panel", id: this.panelId, "aria-labelledby": `${this.panelId}-t`, tabindex: -1, hidden: true });
  }

  private progress(): { status?: string; completed_items?: string[] } | null {
    return (this.experience.progress as { status?: string; completed_items?: string[] } | null) ?? null;
  }

  start(): void {
    const { scope } = this.view;
    scope.add(() => this.rows.dispose());
    scope.listen(this.launcher, "click", () => this.toggle(this.panel.hidden === true));
    trap(this.panel, scope, () => this.toggle(false), false);
    scope.add(this.host.onTrack((event, properties) => this.tracked(event, properties)));
    this.view.box.append(this.launcher, this.panel);
    this.render();
    if (!this.progress()) {
      this.record("Flow Started");
      // Opening by itself, the panel takes focus only when nothing holds it: never from the
      // app's own fields, nor from a tour or survey shown beside it.
      const active = document.activeElement;
      this.toggle(true, !active || active === document.body);
    }
  }

  /** Unfold or fold the panel, and move focus with it unless `focus` is false. */
  private toggle(open: boolean, focus = true): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (focus) (open ? this.panel : this.launcher).focus({ preventScroll: true });
  }

  private tracked(event: string, properties: Properties): void {
    const ticked = this.items.filter((item) => !this.done.has(item.id) && completes(item, event, properties));
    if (!ticked.length) return;
    ticked.forEach((item) => this.done.add(item.id));
    this.render();
    for (const delay of REFRESH_DELAYS_MS) this.view.scope.timer(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const delivered = await this.host.refresh();
    const reported = (delivered?.progress as { completed_items?: unknown } | null)?.completed_items;
    if (!Array.isArray(reported)) return;
    reported.forEach((id) => this.done.add(String(id)));
    this.render();
  }

  private tick(item: Item): void {
    if (this.done.has(item.id) || !tickable(item)) return;
    this.done.add(item.id);
    this.record("Checklist Item Completed", { item: item.id });
    this.render();
  }

  private render(): void {
    const { t } = this.view;
    this.rows.dispose();
    this.rows = new Scope();
    const left = this.items.filter((item) => !this.done.has(item.id)).length;
    this.launcher.replaceChildren(h("span", {}, t("checklist")), h("span", { class: "wp-badge" }, left ? String(left) : "✓"));
    const title = h("h2", { class: "wp-title", id: `${this.panelId}-t` }, t("checklist"));
    const status = h("p", { class: "wp-count", role: "status" }, t("of", this.items.length - left, this.items.length));
    const finished = !left && h("p", { class: "wp-thanks" }, text(this.experience.completion_message) || t("all_done"));
    const close = h("button", { type: "button", class: "wp-x", "aria-label": t("close") }, "×");
    this.rows.listen(close, "click", () => this.toggle(false));
    const hide = button(t("dismiss"), false, this.rows, () => this.dismiss());
    const items = h("ul", { class: "wp-items" }, ...this.items.map((item) => this.row(item)));
    this.panel.replaceChildren(title, status, items, finished || "", h("div", { class: "wp-foot" }, hide), close);
  }

  private row(item: Item): HTMLLIElement {
    const done = this.done.has(item.id);
    const nameId = uid("item");
    const check = h("button", {
      type: "button",
      role: "checkbox",
      class: "wp-check",
      "aria-checked": String(done),
      "aria-disabled": done || !tickable(item) ? "true" : null,
      "aria-labelledby": nameId,
    }, done ? "✓" : "");
    this.rows.listen(check, "click", () => this.tick(item));
    const description = text(item.description);
    return h(
      "li",
      { class: done ? "wp-item wp-item-done" : "wp-item", "data-item": item.id },
      check,
      h("span", {}, h("span", { class: "wp-name", id: nameId }, text(item.title)), description && h("span", { class: "wp-desc" }, description)),
    );
  }

  private dismiss(): void {
    this.record("Flow Dismissed");
    this.close();
  }
}

export function mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget {
  const scope = new Scope();
  returnFocus(scope);
  const destroy = (): void => scope.dispose();
  const view = frame(experience, host, scope);
  whenReady(view, () => new Checklist(experience, host, view, destroy).start());
  return { destroy };
}
