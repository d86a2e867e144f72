/**
 * Announcements: one message with one call-to-action, as a centred modal over a dimmed page
 * or as a banner across the top that leaves the page usable. The call to action closes the
 * announcement and, when it has a `cta_url`, takes the user there.
 */

import { returnFocus, trap } from "./a11y";
import { list, safeUrl, Scope, text } from "./dom";
import { frame, whenReady } from "./frame";
import type { DeliveredExperience, MountedWidget, WidgetHost } from "./host";
import { backdrop, button, card } from "./popover";
import { recorder } from "./record";
import type { Step } from "./tour";

export function mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget {
  const scope = new Scope();
  returnFocus(scope);
  const view = frame(experience, host, scope);
  const record = recorder(experience, host);
  const step = list<Step>(experience.steps)[0] ?? { id: "step-1" };
  const banner = experience.display === "banner";
  const destroy = (): void => scope.dispose();
  const finish = (event: string): void => {
    record(event, event === "Flow Dismissed" ? { step: step.id } : {});
    destroy();
  };
  whenReady(view, () => {
    const { dialog, foot } = card(view, {
      title: text(step.title),
      body: text(step.body),
      modal: !banner,
      className: banner ? "wp-banner" : "wp-modal",
      onClose: () => finish("Flow Dismissed"),
    });
    const link = safeUrl(experience.cta_url, location.href);
    const cta = button(text(step.buttons?.done) || view.t("done"), true, scope, () => {
      finish("Flow Completed");
      if (link) location.assign(link);
    });
    foot.append(cta);
    view.box.append(...(banner ? [dialog] : [backdrop(), dialog]));
    trap(dialog, scope, () => finish("Flow Dismissed"), !banner);
    record("Flow Started");
    record("Flow Step Viewed", { step: step.id });
    if (!banner) cta.focus({ preventScroll: true });
  });
  return { destroy };
}
