/** Reserved events name their experience and the version the person saw. */

import type { DeliveredExperience, Properties, WidgetHost } from "./host";

export type Recorder = (event: string, extra?: Properties) => void;

export function recorder(experience: DeliveredExperience, host: WidgetHost): Recorder {
  const key = experience.kind === "survey" ? "survey_id" : "flow_id";
  return (event, extra = {}) =>
    host.track(event, { [key]: experience.id, version: experience.version, ...extra });
}
