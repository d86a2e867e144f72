/**
 * The contract between the SDK core and the widgets add-on. The add-on imports these as types
 * only, so nothing of the core is bundled into it.
 */

export interface DeliveredExperience {
  id: string;
  kind: "flow" | "survey";
  type: string; // tour | checklist | announcement | hotspot | resource_center | nps | csat | ces
  version: number;
  [field: string]: unknown; // the rest of the delivered definition and its `progress`
}
export type Properties = Record<string, unknown>;
export interface WidgetHost {
  /** Queue a track call through the SDK (reserved events carry flow_id/survey_id and version). */
  track(event: string, properties: Properties): void;
  /** Called for every track call the app makes from now on; returns the unsubscribe function. */
  onTrack(listener: (event: string, properties: Properties) => void): () => void;
  /** Fetch GET /v1/flows again and return this experience as delivered now (undefined when gone). */
  refresh(): Promise<DeliveredExperience | undefined>;
  /** BCP 47 locale from the SDK option or the browser. */
  readonly locale: string;
  readonly sessionId: string;
  /** Absolute URL of the directory that holds the add-on's files (ends with "/"). */
  readonly assetsBase: string;
  /** Report an internal problem; printed only when the SDK runs with debug on. */
  debug(message: string, detail?: unknown): void;
}
export interface MountedWidget {
  /** Remove every node, listener and style the widget added. */
  destroy(): void;
}
export interface WidgetModule {
  mount(experience: DeliveredExperience, host: WidgetHost): MountedWidget;
}
