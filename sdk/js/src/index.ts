/**
 * Waypost browser SDK: Segment-compatible tracking and in-app onboarding flows and surveys.
 *
 *     import { waypost } from "@waypost/browser";
 *     waypost.init({ writeKey: "wk_…", host: "https://waypost.example.com" });
 *     waypost.track("Report Created", { type: "funnel" });
 */

import { createWaypost } from "./client";

export { createWaypost } from "./client";
export type { Listener } from "./emitter";
export type { IdentifyOptions, LifecycleEvent, User, Waypost, WaypostOptions } from "./options";
export type {
  DeliveredExperience,
  MountedWidget,
  Properties,
  WidgetHost,
  WidgetModule,
} from "./widget-host";

/** The default instance; it does nothing (and touches no browser API) until `init`. */
export const waypost = createWaypost();
export default waypost;
