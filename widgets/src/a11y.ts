/**
 * The keyboard and screen-reader contract shared by every widget: focus moved into a dialog
 * and trapped there, Escape closes, focus goes back where it was, and rating scales are
 * radio groups moved along with the arrow keys (mirrored in right-to-left layouts).
 */

import type { Scope } from "./dom";

const FOCUSABLE =
  'button:not([disabled]),a[href],input:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"])';

export function focusables(container: HTMLElement): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (element) => !element.closest("[hidden]") && element.tabIndex >= 0,
  );
}

/** The focused element, looking inside shadow roots. */
export function activeElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Put focus back on what had it now, when `scope` is disposed. */
export function returnFocus(scope: Scope): void {
  const previous = activeElement();
  scope.add(() => {
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus({ preventScroll: true });
  });
}

export function focusFirst(container: HTMLElement): void {
  (focusables(container)[0] ?? container).focus({ preventScroll: true });
}

/** Keep Tab inside `container` (unless `contain` is false); Escape calls `onEscape`. */
export function trap(container: HTMLElement, scope: Scope, onEscape: () => void, contain = true): void {
  scope.listen<KeyboardEvent>(container, "keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      onEscape();
      return;
    }
    if (event.key !== "Tab" || !contain) return;
    const items = focusables(container);
    const current = (container.getRootNode() as ShadowRoot).activeElement;
    const edge = event.shiftKey ? items[0] : items[items.length - 1];
    if (!items.length || current === edge || !container.contains(current)) {
      event.preventDefault();
      (event.shiftKey ? items[items.length - 1] : items[0])?.focus();
    }
  });
}

const STEPS: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/** Arrow keys, Home and End move the checked radio; `select` is told which one. */
export function radiogroup(
  group: HTMLElement,
  scope: Scope,
  rtl: boolean,
  select: (index: number) => void,
): void {
  scope.listen<KeyboardEvent>(group, "keydown", (event) => {
    const radios = [...group.querySelectorAll<HTMLElement>('[role="radio"]')];
    const current = radios.indexOf(event.target as HTMLElement);
    const mirrored = rtl && (event.key === "ArrowLeft" || event.key === "ArrowRight");
    const step = (STEPS[event.key] ?? 0) * (mirrored ? -1 : 1);
    let next = step === 0 ? -1 : (Math.max(current, 0) + step + radios.length) % radios.length;
    if (event.key === "Home") next = 0;
    if (event.key === "End") next = radios.length - 1;
    if (next < 0) return;
    event.preventDefault();
    select(next);
    radios[next]?.focus();
  });
}

/** Mark radio `index` checked and make it the group's one tab stop. */
export function check(group: HTMLElement, index: number): void {
  group.querySelectorAll<HTMLElement>('[role="radio"]').forEach((radio, position) => {
    radio.setAttribute("aria-checked", String(position === index));
    radio.tabIndex = position === index ? 0 : -1;
  });
}
