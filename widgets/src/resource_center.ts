/**
 * The resource center: a help launcher opening a panel of links the product team chose.
 * Only http(s) links are rendered, opened in a new tab without access to this page.
 */

import { trap } from "./a11y";
import { h, list, Scope, text, uid } from "./dom";
import { frame, whenReady } from "./frame";
import type { DeliveredExperience, MountedWidget, WidgetHost } from "./host";
import { recorder } from "./record";

interface Link {
  title?: unknown;
  url?: unknown;
  description?: unknown;
}

export function safeUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function linkItem(link: Link): HTMLLIElement | null {
  const href = safeUrl(link.url);
  if (!href) return null;
  const description = text(link.description);
  return h(
    "li",
    {},
    h("a", { href, target: "_blank", rel: "noopener noreferrer" }, text(link.title) || href),
    description && h("span", { class: "wp-desc" }, description),
  );
}

export function mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget {
  const scope = new Scope();
  const view = frame(experience, host, scope);
  const record = recorder(experience, host);
  whenReady(view, () => {
    const { t } = view;
    const panelId = uid("help");
    const launcher = h("button", { type: "button", class: "wp-launch wp-end", "aria-expanded": "false", "aria-controls": panelId }, t("help"));
    const close = h("button", { type: "button", class: "wp-x", "aria-label": t("close") }, "×");
    const items = list<Link>(experience.links).map(linkItem).filter((item): item is HTMLLIElement => item !== null);
    const panel = h(
      "div",
      { role: "dialog", id: panelId, class: "wp-panel wp-end", "aria-labelledby": `${panelId}-t`, tabindex: -1, hidden: true },
      h("h2", { class: "wp-title", id: `${panelId}-t` }, t("help")),
      h("ul", { class: "wp-links" }, ...items),
      close,
    );
    let started = false;
    const toggle = (open: boolean): void => {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      (open ? panel : launcher).focus({ preventScroll: true });
      if (open && !started) record("Flow Started");
      started ||= open;
    };
    scope.listen(launcher, "click", () => toggle(panel.hidden === true));
    scope.listen(close, "click", () => toggle(false));
    trap(panel, scope, () => toggle(false), false);
    view.box.append(launcher, panel);
  });
  return { destroy: () => scope.dispose() };
}
