/**
 * Onboarding flows and surveys: fetch what `GET /v1/flows` delivers to this person, decide
 * when each is due from its trigger, and load its widget from the add-on only then, so a
 * page that shows nothing never downloads any widget code.
 *
 * Tours, announcements and surveys take the person's attention: one of them at a time holds
 * the screen, until it is completed, dismissed or answered. Launchers (checklists, resource
 * centers, hotspot beacons) wait in a corner of the page and hold nothing, so an open
 * checklist never keeps a due tour or survey away. One that falls due while the screen is held
 * waits and is shown, highest priority first, when the screen frees: the answer it came in
 * was decided with what holds the screen already admitted (or started), so the collector's
 * caps allow both. A new answer (the next page of a single-page app, another user) decides
 * afresh, and what waited is forgotten.
 */

import { browser } from "./env";
import { delayOf, onEvent, onPage, type Trigger } from "./triggers";
import type { DeliveredExperience, MountedWidget, Properties, WidgetHost, WidgetModule } from "./widget-host";

/** The flow types that wait for the person to open them and coexist with everything. */
export const LAUNCHERS = ["checklist", "resource_center", "hotspot"];

/** The reserved events after which an experience is gone from the page (and frees the screen). */
const FINISHED = ["Flow Completed", "Flow Dismissed", "Survey Responded", "Survey Dismissed"];

export interface FlowsOptions {
  host_: string;
  writeKey_: string;
  assetsBase_: string;
  locale_: string;
  /** The query that names this person to `GET /v1/flows`. */
  who_(): Record<string, string | undefined>;
  sessionId_(): string;
  track_(event: string, properties: Properties): void;
  debug_(message: string, detail?: unknown): void;
}

export interface Flows {
  /** Fetch what is delivered now and show what is due on this page. */
  load_(): Promise<void>;
  /** Every track call: widgets listening for it, and `event` triggers. */
  tracked_(event: string, properties: Properties): void;
  show_(id: string): Promise<boolean>;
  /** Remove every widget and timer (logout, opt-out), and forget what is on its way. */
  clear_(): void;
}

/** The add-on module that renders an experience: one per flow type, one for all surveys. */
export function moduleOf(experience: DeliveredExperience): string | undefined {
  if (experience.kind === "survey") return "survey.js";
  // Flow types name their module (tour.js, checklist.js, …); nothing else becomes a path.
  return /^[a-z_]+$/.test(experience.type) ? `${experience.type}.js` : undefined;
}

/** The experiences of a `GET /v1/flows` answer, highest priority first. */
export function experiencesOf(answer: unknown): DeliveredExperience[] {
  const body = (answer ?? {}) as { flows?: unknown; surveys?: unknown };
  const list = (items: unknown, kind: "flow" | "survey"): DeliveredExperience[] =>
    Array.isArray(items) ? items.map((item: Properties) => ({ ...item, kind }) as DeliveredExperience) : [];
  const all = [...list(body.flows, "flow"), ...list(body.surveys, "survey")];
  return all.sort((a, b) => ((b.priority as number) || 0) - ((a.priority as number) || 0));
}

export function createFlows(options: FlowsOptions): Flows {
  let delivered: DeliveredExperience[] = [];
  /** The experiences on the page until they finish, each with whether it holds the screen. */
  const open = new Map<string, boolean>();
  const mounted: MountedWidget[] = [];
  const shown = new Set<string>();
  /** Due while the screen was held: shown, highest priority first, once it frees. */
  const waiting = new Set<string>();
  const listeners = new Set<(event: string, properties: Properties) => void>();
  let timers: ReturnType<typeof setTimeout>[] = [];
  let loading: Promise<unknown> | undefined;
  /** Bumped by `clear_`: an answer or a widget asked for before then is not shown. */
  let epoch = 0;

  const fetchDelivered = async (): Promise<DeliveredExperience[]> => {
    const query = new URLSearchParams({ writeKey: options.writeKey_, locale: options.locale_ });
    const params = { ...options.who_(), sessionId: options.sessionId_(), url: browser()!.location.href };
    for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
    const response = await fetch(`${options.host_}/v1/flows?${query}`, { credentials: "omit" });
    const answer: unknown = await response.json().catch(() => undefined);
    if (response.ok) return experiencesOf(answer);
    options.debug_(`/v1/flows: ${response.status}`, answer);
    return [];
  };
  const host = (experience: DeliveredExperience): WidgetHost => ({
    track: options.track_,
    onTrack(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    async refresh() {
      delivered = await fetchDelivered();
      return delivered.find((other) => other.id === experience.id);
    },
    locale: options.locale_,
    sessionId: options.sessionId_(),
    assetsBase: options.assetsBase_,
    debug: options.debug_,
  });
  // The app's own `show(id)` may show an experience again (a help menu opened twice).
  const present = async (experience: DeliveredExperience, again = false): Promise<boolean> => {
    const file = moduleOf(experience);
    // Surveys (nps, csat, ces) and every flow type but the launchers take the screen.
    const holds = !LAUNCHERS.includes(experience.type);
    const asked = epoch;
    if (open.has(experience.id) || (shown.has(experience.id) && !again) || !file) return false;
    if (holds && [...open.values()].includes(true)) return !waiting.add(experience.id);
    open.set(experience.id, holds);
    shown.add(experience.id);
    try {
      // Each widget loads its stylesheet inside its own shadow root: nothing goes in the page's <head>.
      const widget = (await import(/* @vite-ignore */ options.assetsBase_ + file)) as WidgetModule;
      if (asked !== epoch) return false;
      mounted.push(widget.mount(experience, host(experience)));
      return true;
    } catch (error) {
      open.delete(experience.id);
      options.debug_(`cannot show ${experience.id}`, error);
      return false;
    }
  };
  const schedule = (): void => {
    const href = browser()!.location.href;
    // Highest priority first: every launcher due here, and the first of the others.
    for (const experience of delivered) {
      const delay = delayOf(trigger(experience));
      if (onPage(trigger(experience), href)) void present(experience);
      else if (delay !== undefined) timers.push(setTimeout(() => void present(experience), delay));
    }
  };

  const flows: Flows = {
    async load_() {
      const asked = epoch;
      const answer = await (loading = fetchDelivered());
      if (asked !== epoch) return;
      delivered = answer;
      waiting.clear();
      timers.forEach(clearTimeout);
      timers = [];
      schedule();
    },
    tracked_(event, properties) {
      for (const listener of [...listeners]) listener(event, properties);
      const id = properties.flow_id ?? properties.survey_id;
      const freed = FINISHED.includes(event) && open.delete(id as string) && ![...open.values()].includes(true);
      for (const experience of delivered) {
        if ((freed && waiting.delete(experience.id)) || onEvent(trigger(experience), event)) void present(experience);
      }
    },
    async show_(id) {
      // Called right after init, the first answer may not even be asked for yet: wait for it.
      await (loading || flows.load_());
      const experience = delivered.find((other) => other.id === id);
      if (!experience) options.debug_(`${id} is not delivered now`);
      return experience ? present(experience, true) : false;
    },
    clear_() {
      epoch++;
      timers.forEach(clearTimeout);
      timers = [];
      for (const widget of mounted.splice(0)) widget.destroy();
      listeners.clear();
      delivered = [];
      open.clear();
    },
  };
  return flows;
}

const trigger = (experience: DeliveredExperience): Trigger => (experience.trigger ?? {}) as Trigger;
