/** The options of `createWaypost` and `init`, and the public interface of an instance. */

import type { Listener } from "./emitter";
import type { Properties } from "./widget-host";

export interface WaypostOptions {
  /** The project's write key (public; it may only send events and read this user's flows). */
  writeKey: string;
  /** The collector's origin, e.g. "https://waypost.example.com"; the script's own origin by default. */
  host?: string;
  /** Send as soon as this many messages wait (default 20). */
  flushAt?: number;
  /** Otherwise send this long after the first waiting message, in milliseconds (default 1000). */
  flushInterval?: number;
  /** Most messages kept while the collector cannot be reached; the oldest go first (default 1000). */
  maxQueueSize?: number;
  /** Send a page view now and on every History API navigation (default false). */
  autoPage?: boolean;
  /**
   * "pending": nothing is stored or sent until `consent("granted")`; calls wait in memory.
   * Default "granted".
   */
  consent?: "granted" | "pending";
  /** Cookie domain of the anonymous id, e.g. ".example.com" to share it across subdomains. */
  cookieDomain?: string;
  /** BCP 47 locale of flows and surveys; the browser's by default. */
  locale?: string;
  /** Fetch and show onboarding flows and surveys (default true). */
  flows?: boolean;
  /** Where the widgets add-on lives; `${host}/sdk/widgets/` by default. */
  widgetsBase?: string;
  /** Print internal problems and refused messages to the console. */
  debug?: boolean;
}

export interface IdentifyOptions {
  /** HMAC-SHA256 of the user id signed by your server, for projects that verify identity. */
  identityHash?: string;
}

/** Lifecycle events: "ready", "track" (each message queued), "sent", "rejected", "dropped", "error". */
export type LifecycleEvent = "ready" | "track" | "sent" | "rejected" | "dropped" | "error";

export interface User {
  anonymousId: string;
  userId?: string;
  traits: Properties;
}

export interface Waypost {
  /** Start with these options; calls made before are kept and run now. */
  init(options: WaypostOptions): Waypost;
  identify(userId?: string | Properties | null, traits?: Properties, options?: IdentifyOptions): void;
  track(event: string, properties?: Properties): void;
  page(name?: string | Properties, properties?: Properties): void;
  group(accountId: string, traits?: Properties): void;
  /** Link `userId` to the previous id (the current user, or the anonymous id). */
  alias(userId: string, previousId?: string): void;
  /** Log out: a new anonymous id, no user; waiting messages are still sent. */
  reset(): void;
  /** Send everything waiting now; resolves when the collector has answered. */
  flush(): Promise<void>;
  on(event: LifecycleEvent, listener: Listener): void;
  off(event: LifecycleEvent, listener: Listener): void;
  /** Stop tracking this browser (remembered), dropping what waits. */
  optOut(): void;
  optIn(): void;
  consent(state: "granted" | "denied"): void;
  debug(enabled?: boolean): void;
  /** Show an experience delivered to this user now (a `manual` trigger); false when it cannot. */
  show(id: string): Promise<boolean>;
  user(): User;
  /**
   * Stop for good (a single-page app unmounting, say): what waits is handed to the browser to
   * send, as when the page goes away; every listener, timer and widget of this instance is
   * removed; every later call does nothing.
   */
  destroy(): void;
}
