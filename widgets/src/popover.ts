/**
 * The visual layers of a step: a labelled, described dialog card; the overlay that dims the
 * page (with a cut-out around the target, or whole behind a centred modal); and the loop that
 * keeps a card beside its target through scrolling and resizing.
 */

import { h, uid, type Child, type Scope } from "./dom";
import type { Frame } from "./frame";
import { place, type Placement } from "./position";

export interface Card {
  dialog: HTMLDivElement;
  titleId: string;
  content: HTMLDivElement;
  foot: HTMLDivElement;
}

export interface CardOptions {
  title: string;
  body?: string;
  modal: boolean;
  className: string;
  onClose: () => void;
}

/** A dialog named by its title and described by its body; the close button says "Close". */
export function card(frame: Frame, options: CardOptions, ...content: Child[]): Card {
  const titleId = uid("title");
  const bodyId = uid("body");
  const close = h("button", { type: "button", class: "wp-x", "aria-label": frame.t("close") }, "×");
  frame.scope.listen(close, "click", options.onClose);
  const foot = h("div", { class: "wp-foot" });
  const inner = h("div", {}, ...content);
  const dialog = h(
    "div",
    {
      role: "dialog",
      class: `wp-card ${options.className}`,
      "aria-modal": options.modal ? "true" : null,
      "aria-labelledby": options.title ? titleId : null,
      "aria-label": options.title ? null : frame.t("help"),
      "aria-describedby": options.body ? bodyId : null,
      tabindex: -1,
    },
    options.title && h("h2", { class: "wp-title", id: titleId }, options.title),
    options.body && h("p", { class: "wp-body", id: bodyId }, options.body),
    inner,
    foot,
    close,
  );
  return { dialog, titleId, content: inner, foot };
}

export function button(label: string, primary: boolean, scope: Scope, onClick: () => void): HTMLButtonElement {
  const element = h("button", { type: "button", class: primary ? "wp-btn wp-primary" : "wp-btn" }, label);
  scope.listen(element, "click", onClick);
  return element;
}

export function backdrop(): HTMLDivElement {
  return h("div", { class: "wp-backdrop", "aria-hidden": "true" });
}

export function cutout(): HTMLDivElement {
  return h("div", { class: "wp-cut", "aria-hidden": "true" });
}

const PAD = 6;

function viewport(): { width: number; height: number } {
  return { width: document.documentElement.clientWidth, height: document.documentElement.clientHeight };
}

/** Keep `dialog` (and the overlay's cut-out) beside `target`, following scroll and resize. */
export function follow(
  frame: Frame,
  scope: Scope,
  dialog: HTMLElement,
  target: Element,
  placement: Placement,
  cut?: HTMLElement,
): void {
  const update = (): void => {
    const rect = target.getBoundingClientRect();
    const size = { width: dialog.offsetWidth, height: dialog.offsetHeight };
    const placed = place(rect, size, viewport(), placement, frame.rtl);
    Object.assign(dialog.style, { top: `${placed.top}px`, left: `${placed.left}px` });
    dialog.dataset.side = placed.side;
    if (cut) {
      Object.assign(cut.style, {
        top: `${rect.top - PAD}px`,
        left: `${rect.left - PAD}px`,
        width: `${rect.width + 2 * PAD}px`,
        height: `${rect.height + 2 * PAD}px`,
      });
    }
  };
  watch(scope, update);
}

/** Run `update` now and once per frame in which the page scrolled or was resized. */
export function watch(scope: Scope, update: () => void): void {
  let pending = 0;
  const schedule = (): void => {
    if (!pending) {
      pending = requestAnimationFrame(() => {
        pending = 0;
        update();
      });
    }
  };
  scope.listen(window, "scroll", schedule, { capture: true, passive: true });
  scope.listen(window, "resize", schedule, { passive: true });
  scope.add(() => cancelAnimationFrame(pending));
  update();
}

/** Scroll `target` into the middle of the viewport unless it is already fully visible. */
export function reveal(target: Element): void {
  const rect = target.getBoundingClientRect();
  const { width, height } = viewport();
  if (rect.top < 0 || rect.left < 0 || rect.bottom > height || rect.right > width) {
    target.scrollIntoView({ block: "center", inline: "nearest" });
  }
}
