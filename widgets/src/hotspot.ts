/**
 * Hotspots: a beacon on an element (pulsing, unless the person prefers reduced motion) that
 * opens a tooltip. "Got it" completes the hotspot; the close button dismisses it; Escape
 * folds the tooltip back into the beacon.
 */

import { returnFocus, trap } from "./a11y";
import { h, list, Scope, text } from "./dom";
import { frame, whenReady, type Frame } from "./frame";
import type { DeliveredExperience, MountedWidget, WidgetHost } from "./host";
import { button, card, follow, watch } from "./popover";
import { recorder, type Recorder } from "./record";
import { waitFor } from "./target";
import type { Step } from "./tour";

function beaconAt(beacon: HTMLElement, target: Element, rtl: boolean): void {
  const rect = target.getBoundingClientRect();
  const x = rtl ? rect.left - 9 : rect.right - 9;
  Object.assign(beacon.style, { top: `${rect.top - 9}px`, left: `${x}px` });
}

function open(view: Frame, step: Step, record: Recorder, target: Element, beacon: HTMLButtonElement, done: (event: string) => void): Scope {
  const scope = new Scope();
  const { dialog, foot } = card(view, {
    title: text(step.title),
    body: text(step.body),
    modal: false,
    className: "wp-pop",
    onClose: () => done("Flow Dismissed"),
  });
  const ok = button(text(step.buttons?.done) || view.t("done"), true, scope, () => done("Flow Completed"));
  foot.append(ok);
  view.box.append(dialog);
  scope.add(() => dialog.remove());
  follow(view, scope, dialog, target, step.placement ?? "auto");
  beacon.setAttribute("aria-expanded", "true");
  scope.add(() => beacon.setAttribute("aria-expanded", "false"));
  record("Flow Step Viewed", { step: step.id });
  ok.focus({ preventScroll: true });
  return scope;
}

export function mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget {
  const scope = new Scope();
  returnFocus(scope);
  const view = frame(experience, host, scope);
  const record = recorder(experience, host);
  const step = list<Step>(experience.steps)[0] ?? { id: "step-1" };
  let tip: Scope | null = null;
  const closeTip = (): void => {
    tip?.dispose();
    tip = null;
  };
  scope.add(closeTip);
  const destroy = (): void => scope.dispose();
  const done = (event: string): void => {
    record(event, event === "Flow Dismissed" ? { step: step.id } : {});
    destroy();
  };
  const show = (target: Element): void => {
    const label = text(step.title) || view.t("help");
    const beacon = h("button", { type: "button", class: "wp-beacon", "aria-label": label, "aria-expanded": "false" });
    view.box.append(beacon);
    watch(scope, () => beaconAt(beacon, target, view.rtl));
    scope.listen(beacon, "click", () => {
      if (tip) return closeTip();
      tip = open(view, step, record, target, beacon, done);
      trap(view.box, tip, () => {
        closeTip();
        beacon.focus();
      }, false);
    });
    record("Flow Started");
  };
  whenReady(view, () => {
    void waitFor(String(step.target ?? ""), scope).then((target) => {
      if (target) return show(target);
      record("Flow Step Failed", { step: step.id, reason: "target_not_found" });
      destroy();
    });
  });
  return { destroy };
}
