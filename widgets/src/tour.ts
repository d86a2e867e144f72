/**
 * Product tours: a popover per step beside its target (or a centred modal without one), the
 * overlay's cut-out around the target, and progress ("2 of 5"). A tour spanning pages
 * resumes on each page from the progress the collector delivers; a target that never
 * appears is reported as `Flow Step Failed` and skipped or pauses the tour.
 */

import { returnFocus, trap } from "./a11y";
import { h, list, Scope, text } from "./dom";
import { frame, whenReady, type Frame } from "./frame";
import type { DeliveredExperience, MountedWidget, WidgetHost } from "./host";
import { backdrop, button, card, cutout, follow, reveal } from "./popover";
import type { Placement } from "./position";
import { recorder, type Recorder } from "./record";
import { waitFor } from "./target";
import { isPage, matches } from "./url";

export interface Step {
  id: string;
  target?: string | null;
  title?: unknown;
  body?: unknown;
  placement?: Placement;
  buttons?: { next?: unknown; back?: unknown; done?: unknown };
  url?: string | null;
  advance_on?: { type: "click" } | { type: "event"; event: string } | null;
  on_missing_target?: "skip" | "pause";
}

interface Progress {
  status?: string;
  step?: string | null;
}

/** Whether a step is shown on the page at `href` (a step without `url` is shown anywhere). */
export function onPage(step: Step, href: string): boolean {
  return !step.url || matches(step.url, href);
}

/**
 * The step to show on this page: where the person left off (or the first), or the first
 * later step that lives on this page; -1 when none does.
 */
export function startIndex(steps: Step[], progress: Progress | null | undefined, href: string): number {
  const resumed = progress?.status === "in_progress" ? steps.findIndex((step) => step.id === progress.step) : -1;
  const from = Math.max(resumed, 0);
  return steps.findIndex((step, position) => position >= from && onPage(step, href));
}

class Tour {
  private readonly steps: Step[];
  private readonly record: Recorder;
  private stepScope = new Scope();
  private index = -1;
  /** Whether `Flow Started` has been recorded (on an earlier page, for a resumed tour). */
  private started = false;

  constructor(
    private readonly experience: DeliveredExperience,
    private readonly host: WidgetHost,
    private readonly frame: Frame,
    private readonly close: () => void,
  ) {
    this.steps = list<Step>(experience.steps);
    this.record = recorder(experience, host);
  }

  start(): void {
    const progress = this.experience.progress as Progress | null | undefined;
    this.started = progress?.status === "in_progress";
    const index = startIndex(this.steps, progress, location.href);
    if (index >= 0) void this.go(index);
  }

  stop(): void {
    this.stepScope.dispose();
    this.stepScope = new Scope();
    this.index = -1;
  }

  private async go(index: number): Promise<void> {
    this.stop();
    const step = this.steps[index]!;
    this.index = index;
    if (!onPage(step, location.href)) {
      if (step.url && isPage(step.url)) location.assign(new URL(step.url, location.href).href);
      return;
    }
    const scope = this.stepScope;
    const target = step.target ? await waitFor(step.target, scope) : null;
    if (this.index !== index || scope !== this.stepScope) return;
    if (step.target && !target) return this.missing(step, index);
    this.render(step, index, target);
    if (!this.started) this.record("Flow Started");
    this.started = true;
    this.record("Flow Step Viewed", { step: step.id });
  }

  private missing(step: Step, index: number): void {
    this.record("Flow Step Failed", { step: step.id, reason: "target_not_found" });
    this.host.debug(`tour step ${step.id}: no element matches ${step.target ?? ""}`);
    if (step.on_missing_target === "pause") this.stop();
    else if (index + 1 < this.steps.length) void this.go(index + 1);
    else this.finish("Flow Completed");
  }

  private render(step: Step, index: number, target: Element | null): void {
    const { frame, stepScope: scope } = this;
    const view = card(frame, {
      title: text(step.title),
      body: text(step.body),
      modal: !target,
      className: target ? "wp-pop" : "wp-modal",
      onClose: () => this.finish("Flow Dismissed", step),
    });
    const primary = this.buttons(view.foot, step, index);
    const layers = target ? [cutout(), view.dialog] : [backdrop(), view.dialog];
    frame.box.append(...layers);
    scope.add(() => layers.forEach((layer) => layer.remove()));
    if (target) {
      reveal(target);
      follow(frame, scope, view.dialog, target, step.placement ?? "auto", layers[0]);
    }
    this.advanceOn(step, target);
    trap(view.dialog, scope, () => this.finish("Flow Dismissed", step));
    primary.focus({ preventScroll: true });
  }

  private buttons(foot: HTMLElement, step: Step, index: number): HTMLButtonElement {
    const { t } = this.frame;
    const scope = this.stepScope;
    const last = index === this.steps.length - 1;
    if (this.steps.length > 1) foot.append(h("span", { class: "wp-count" }, t("of", index + 1, this.steps.length)));
    if (index > 0) {
      foot.append(button(text(step.buttons?.back) || t("back"), false, scope, () => void this.go(index - 1)));
    }
    const label = last ? text(step.buttons?.done) || t("done") : text(step.buttons?.next) || t("next");
    const primary = button(label, true, scope, () => this.next());
    foot.append(primary);
    return primary;
  }

  private advanceOn(step: Step, target: Element | null): void {
    const rule = step.advance_on;
    if (rule?.type === "click" && target) this.stepScope.listen(target, "click", () => this.next());
    if (rule?.type === "event") {
      const wanted = rule.event;
      this.stepScope.add(this.host.onTrack((event) => event === wanted && this.next()));
    }
  }

  private next(): void {
    if (this.index + 1 < this.steps.length) void this.go(this.index + 1);
    else this.finish("Flow Completed");
  }

  private finish(event: "Flow Completed" | "Flow Dismissed", step?: Step): void {
    this.record(event, step ? { step: step.id } : {});
    this.close();
  }
}

export function mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget {
  const scope = new Scope();
  returnFocus(scope);
  const view = frame(experience, host, scope);
  const tour = new Tour(experience, host, view, () => destroy());
  const destroy = (): void => {
    tour.stop();
    scope.dispose();
  };
  whenReady(view, () => tour.start());
  return { destroy };
}
