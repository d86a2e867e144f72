/** A started instance: identity, messages, the queue and its delivery, flows. */

import { MAX_MESSAGE_BYTES, byteLength, type Message } from "./batch";
import { type ConsentChange, next, PENDING, records, sends } from "./consent";
import { browserLocale, contextOf, pageFacts } from "./context";
import { createDelivery, type Delivery, type DeliveryOptions } from "./delivery";
import type { Emitter } from "./emitter";
import { browser, uuid } from "./env";
import { createFlows, type Flows, type FlowsOptions } from "./flows";
import { watchHistory } from "./history";
import { createIdentity, type Identity } from "./identity";
import type { IdentifyOptions, User, WaypostOptions } from "./options";
import { createQueue, type Queue } from "./queue";
import { cookieStore, firstStore, localStore, memoryStore, type Store } from "./storage";
import type { Properties } from "./widget-host";

export interface Core {
  identify(userId: string | undefined, traits: Properties | undefined, options?: IdentifyOptions): void;
  track(event: string, properties?: Properties): void;
  page(name?: string, properties?: Properties): void;
  group(accountId: string, traits?: Properties): void;
  alias(userId: string, previousId?: string): void;
  reset(): void;
  flush(): Promise<void>;
  optOut(): void;
  optIn(): void;
  consent(state: "granted" | "denied"): void;
  show(id: string): Promise<boolean>;
  user(): User;
  destroy(): void;
}

/** How often a tab looks for the queues of tabs that are gone. */
export const ADOPT_EVERY_MS = 5000;

export type Log = (message: string, detail?: unknown) => void;

type Enqueue = (type: string, fields: Properties) => void;
type Refuse = (message: Message, errors: unknown) => void;
type Timer = ReturnType<typeof setTimeout>;
/** The calls that consent and the opt-out answer. */
type Privacy = Pick<Core, "optOut" | "optIn" | "consent" | "show">;

export function start(options: WaypostOptions, emitter: Emitter, log: Log): Core {
  const win = browser()!;
  const host = (options.host || win.location.origin).replace(/\/+$/, "");
  const prefix = `wp_${options.writeKey}_`;
  const locale = browserLocale(options.locale);
  const identity = createIdentity(prefix);
  const queue = createQueue(prefix, options.maxQueueSize ?? 1000);
  const refuse: Refuse = (message, errors) => {
    log("message refused", errors);
    emitter.emit_("rejected", message, errors);
  };
  const delivery = createDelivery(queue, deliveryOptions(options, host, emitter, log, refuse));
  const track = (event: string, properties: Properties): void => core.track(event, properties);
  const flows = options.flows === false ? undefined : createFlows(flowsOptions(options, host, locale, identity, log, track));
  // Every listener and timer of this instance lasts until `signal` aborts, which destroy does.
  const lifetime = new AbortController();
  const { signal } = lifetime;
  const reload = reloader(flows, log, () => shows(), signal);
  const [rights, recording, shows] = privacy(options, prefix, identity, queue, delivery, flows, log, reload, signal);
  const enqueue = recorder(identity, queue, delivery, emitter, log, contextOf(locale), refuse, recording);
  const core: Core = {
    ...tracking(identity, flows, enqueue, reload),
    ...rights,
    flush: () => delivery.flush_(true),
    destroy() {
      // What waits is handed to the browser now, as when the page goes away.
      delivery.hide_();
      delivery.stop_();
      queue.close_();
      flows?.clear_();
      lifetime.abort();
    },
  };
  const hide = (): void => delivery.hide_();
  win.addEventListener("pagehide", hide, { signal });
  win.document.addEventListener("visibilitychange", () => win.document.visibilityState === "hidden" && hide(), { signal });
  win.addEventListener("online", () => delivery.online_(), { signal });
  if (options.autoPage || flows) {
    watchHistory(win, signal, () => {
      if (options.autoPage) core.page();
      reload();
    });
  }
  if (options.consent !== "pending") rights.consent("granted");
  if (options.autoPage) core.page();
  return core;
}

function deliveryOptions(options: WaypostOptions, host: string, emitter: Emitter, log: Log, refuse: Refuse): DeliveryOptions {
  return {
    // The key in the query too: the collector's origin allow-list and rate limits read it there.
    url_: `${host}/v1/batch?writeKey=${encodeURIComponent(options.writeKey)}`,
    writeKey_: options.writeKey,
    flushAt_: options.flushAt ?? 20,
    flushInterval_: options.flushInterval ?? 1000,
    sent_: (messages) => emitter.emit_("sent", messages),
    rejected_: refuse,
    retrying_: (delay, reason) => log(`retry in ${delay} ms`, reason),
  };
}

function flowsOptions(
  options: WaypostOptions,
  host: string,
  locale: string,
  identity: Identity,
  log: Log,
  track: FlowsOptions["track_"],
): FlowsOptions {
  return {
    host_: host,
    writeKey_: options.writeKey,
    locale_: locale,
    assetsBase_: options.widgetsBase || `${host}/sdk/widgets/`,
    who_: () => {
      const { userId, anonymousId, identityHash } = identity.person_;
      return { userId, anonymousId, identityHash };
    },
    sessionId_: () => identity.session_(Date.now()),
    track_: track,
    debug_: log,
  };
}

/** Loads flows soon, if `allowed` then: init, identify and a page view in one task fetch once. */
function reloader(flows: Flows | undefined, log: Log, allowed: () => boolean, signal: AbortSignal): () => void {
  let timer: Timer | undefined;
  signal.addEventListener("abort", () => clearTimeout(timer));
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (allowed()) flows?.load_().catch((error: unknown) => log("flows failed", error));
    }, 0);
  };
}

/**
 * Consent and the opt-out (see consent.ts) and what they change: the storage the first grant
 * opens, what waits, whether messages go and flows load. Returns the calls that change them,
 * whether calls are recorded now, and whether flows may show.
 */
function privacy(
  options: WaypostOptions,
  prefix: string,
  identity: Identity,
  queue: Queue,
  delivery: Delivery,
  flows: Flows | undefined,
  log: Log,
  reload: () => void,
  signal: AbortSignal,
): [Privacy, () => boolean, () => boolean] {
  const optOutKey = `${prefix}optout`;
  const cookies = (): Store | undefined => cookieStore(options.cookieDomain);
  let store: Store | undefined;
  let state = PENDING;
  const shows = (): boolean => sends(state);
  const change = (to: ConsentChange, remembered?: boolean): void => {
    state = next(state, to, remembered);
    delivery.enabled_ = sends(state);
  };
  const drop = (): void => {
    queue.clear_();
    flows?.clear_();
  };
  const grant = (): void => {
    if (store) return change("granted");
    store = firstStore(localStore, cookies);
    change("granted", store.get(optOutKey) === "1");
    openStorage(identity, queue, delivery, log, store, cookies(), signal);
    if (state.optedOut_) queue.clear_();
    reload();
  };
  const rights: Privacy = {
    optOut() {
      change("optOut");
      store?.set(optOutKey, "1");
      drop();
    },
    optIn() {
      change("optIn");
      store?.remove_(optOutKey);
      reload();
    },
    consent(answer) {
      if (answer !== "denied") return grant();
      change(answer);
      drop();
    },
    show: async (id) => !!flows && shows() && flows.show_(id),
  };
  return [rights, () => records(state), shows];
}

/**
 * The identity and the queue move to storage, and this tab adopts the queues of tabs that are
 * gone, until `signal` aborts.
 */
function openStorage(
  identity: Identity,
  queue: Queue,
  delivery: Delivery,
  log: Log,
  store: Store,
  cookies: Store | undefined,
  signal: AbortSignal,
): void {
  const before = identity.person_.anonymousId;
  identity.attach_(store, cookies);
  const after = identity.person_.anonymousId;
  // Calls made before consent were made by the visitor this browser already knew.
  queue.replace_((message) => (message.anonymousId === before ? { ...message, anonymousId: after } : message));
  const adopt = (): void =>
    void queue.adopt_().then(
      (count) => void (count && delivery.flush_()),
      (error: unknown) => log("adopt failed", error),
    );
  // Never a cookie: the queue would go to the app's server with every request.
  void queue.attach_(localStore() ?? memoryStore()).then(() => {
    if (signal.aborted) return;
    adopt();
    void delivery.flush_();
    // A tab that closed while this one started still held its lock then: look again later.
    const timer = setInterval(adopt, ADOPT_EVERY_MS);
    signal.addEventListener("abort", () => clearInterval(timer));
  });
}

/** A message of `type` from this person now, with the automatic context. */
function messageOf(identity: Identity, context: () => Properties, type: string, fields: Properties): Message {
  const now = Date.now();
  const { anonymousId, userId, identityHash } = identity.person_;
  const facts: Properties = { ...context(), sessionId: identity.session_(now) };
  if (userId && identityHash) facts.identityHash = identityHash;
  return {
    type,
    messageId: uuid(),
    timestamp: new Date(now).toISOString(),
    anonymousId,
    ...(userId ? { userId } : {}),
    ...fields,
    context: facts,
  };
}

/** Over the collector's limit. A character is at most 3 bytes of UTF-8: most messages are small enough not to count. */
function oversized(message: Message): boolean {
  const json = JSON.stringify(message);
  return json.length * 3 > MAX_MESSAGE_BYTES && byteLength(json) > MAX_MESSAGE_BYTES;
}

/** Queues a message of each call, while `allowed`. */
function recorder(
  identity: Identity,
  queue: Queue,
  delivery: Delivery,
  emitter: Emitter,
  log: Log,
  context: () => Properties,
  refuse: Refuse,
  allowed: () => boolean,
): Enqueue {
  return (type, fields) => {
    if (!allowed()) return;
    const message = messageOf(identity, context, type, fields);
    if (oversized(message)) return refuse(message, { _schema: ["message is larger than 32 KB"] });
    emitter.emit_("track", message);
    for (const dropped of queue.add_(message)) {
      log("dropped", dropped);
      emitter.emit_("dropped", dropped);
    }
    delivery.added_();
  };
}

/** The calls that make messages, and `user`. */
function tracking(identity: Identity, flows: Flows | undefined, enqueue: Enqueue, reload: () => void) {
  return {
    identify(userId: string | undefined, traits: Properties | undefined, extra?: IdentifyOptions): void {
      const changed = userId !== undefined && userId !== identity.person_.userId;
      identity.identify(userId, traits, extra?.identityHash);
      enqueue("identify", { traits: traits ?? {} });
      if (changed) reload();
    },
    track(event: string, properties: Properties = {}): void {
      enqueue("track", { event, properties });
      flows?.tracked_(event, properties);
    },
    page(name?: string, properties?: Properties): void {
      enqueue("page", { ...(name ? { name } : {}), properties: { ...pageFacts(), ...properties } });
    },
    group(groupId: string, traits: Properties = {}): void {
      enqueue("group", { groupId, traits });
    },
    alias(userId: string, previousId?: string): void {
      const { userId: current, anonymousId } = identity.person_;
      enqueue("alias", { userId, previousId: previousId ?? current ?? anonymousId });
      identity.alias(userId);
    },
    reset(): void {
      identity.reset();
      flows?.clear_();
      reload();
    },
    user(): User {
      const { anonymousId, userId, traits } = identity.person_;
      return { anonymousId, userId, traits };
    },
  };
}
