/**
 * The resource center: a help launcher opening a panel of links the product team chose, the
 * person's recent announcements ("What's new", each unfolding to its text) and their
 * checklists with their progress, read-only. The collector adds the last two to the
 * delivered definition. Only http(s) links are rendered, opened in a new tab without access
 * to this page.
 */

import { trap } from "./a11y";
import { h, list, safeUrl, Scope, text, uid } from "./dom";
import { frame, whenReady } from "./frame";
import type { DeliveredExperience, MountedWidget, WidgetHost } from "./host";
import type { Translate } from "./i18n";
import { recorder } from "./record";

interface Link {
  title?: unknown;
  url?: unknown;
  description?: unknown;
}

export interface Announcement {
  title?: unknown;
  body?: unknown;
  cta?: { label?: unknown; url?: unknown } | null;
  seen?: unknown;
}

export interface Listed {
  title?: unknown;
  items?: unknown;
  done?: unknown;
  total?: unknown;
}

const newTab = (href: string, label: string): HTMLAnchorElement =>
  h("a", { href, target: "_blank", rel: "noopener noreferrer" }, label);

function linkItem(link: Link): HTMLLIElement | null {
  const href = safeUrl(link.url);
  if (!href) return null;
  const description = text(link.description);
  return h("li", {}, newTab(href, text(link.title) || href), description && h("span", { class: "wp-desc" }, description));
}

/** An announcement's title as a button that unfolds its text and call to action. */
function newsItem(news: Announcement, t: Translate, scope: Scope): HTMLLIElement {
  const bodyId = uid("news");
  const toggle = h("button", { type: "button", class: "wp-more", "aria-expanded": "false", "aria-controls": bodyId }, text(news.title));
  if (news.seen !== true) toggle.append(h("span", { class: "wp-badge" }, t("new")));
  // The announcement's call to action (a path of the site is resolved against this page).
  const href = safeUrl(news.cta?.url, location.href);
  const body = h(
    "div",
    { id: bodyId, class: "wp-body", hidden: true },
    text(news.body),
    href && h("p", {}, newTab(href, text(news.cta?.label) || t("more"))),
  );
  scope.listen(toggle, "click", () => {
    body.hidden = !body.hidden;
    toggle.setAttribute("aria-expanded", String(!body.hidden));
  });
  return h("li", {}, toggle, body);
}

/** A checklist's title, how many items are done, and each item's state (not editable here). */
function listItem(listed: Listed, t: Translate): HTMLLIElement {
  const items = list<{ title?: unknown; done?: unknown }>(listed.items).map((item) =>
    h("li", {}, h("label", { class: "wp-item" }, h("input", { type: "checkbox", disabled: true, checked: item.done === true }), text(item.title))),
  );
  return h(
    "li",
    {},
    h("span", { class: "wp-name" }, text(listed.title)),
    h("span", { class: "wp-count" }, t("of", Number(listed.done) || 0, Number(listed.total) || 0)),
    h("ul", { class: "wp-items" }, ...items),
  );
}

/** A headed part of the panel, left out when it has nothing to list. */
function section(heading: string, className: string, items: HTMLLIElement[]): HTMLElement | null {
  if (!items.length) return null;
  const id = uid("part");
  return h("section", { "aria-labelledby": id }, h("h3", { class: "wp-sub", id }, heading), h("ul", { class: className }, ...items));
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
      section(t("news"), "wp-news", list<Announcement>(experience.announcements).map((news) => newsItem(news, t, scope))),
      section(t("lists"), "wp-lists", list<Listed>(experience.checklists).map((listed) => listItem(listed, t))),
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
