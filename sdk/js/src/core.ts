/** A started instance: identity, messages, the queue and its delivery, flows. */

import { MAX_MESSAGE_BYTES, byteLength, type Message } from "./batch";
import { type ConsentChange, next, PENDING, records, sends } from "./consent";
import { browserLocale, contextOf, pageFacts } from "./context";
import { createDelivery } from "./delivery";
import type { Emitter } from "./emitter";
import { browser, uuid } from "./env";
import { createFlows } from "./flows";
import { watchHistory } from "./history";
import { createIdentity } from "./identity";
import type { IdentifyOptions, User, WaypostOptions } from "./options";
import { createQueue } from "./queue";
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
}

/** How often a tab looks for the queues of tabs that are gone. */
export const ADOPT_EVERY_MS = 5000;

export type Log = (message: string, detail?: unknown) => void;

export function start(options: WaypostOptions, emitter: Emitter, log: Log): Core {
  const win = browser()!;
  const host = (options.host || win.location.origin).replace(/\/+$/, "");
  const prefix = `wp_${options.writeKey}_`;
  const locale = browserLocale(options.locale);
  const pageContext = contextOf(locale);
  const identity = createIdentity(prefix);
  const queue = createQueue(prefix, options.maxQueueSize ?? 1000);
  const cookies = (): Store | undefined => cookieStore(options.cookieDomain);
  let store: Store | undefined;
  let state = PENDING;
  let flowsTimer: ReturnType<typeof setTimeout> | undefined;

  const delivery = createDelivery(queue, {
    // The key in the query too: the collector's origin allow-list and rate limits read it there.
    url: `${host}/v1/batch?writeKey=${encodeURIComponent(options.writeKey)}`,
    writeKey: options.writeKey,
    flushAt: options.flushAt ?? 20,
    flushInterval: options.flushInterval ?? 1000,
    sent: (messages) => emitter.emit("sent", messages),
    rejected: (message, errors) => {
      log("message refused", errors);
      emitter.emit("rejected", message, errors);
    },
    retrying: (delay, reason) => log(`retry in ${delay} ms`, reason),
  });
  const flows =
    options.flows === false
      ? undefined
      : createFlows({
          host,
          writeKey: options.writeKey,
          locale,
          assetsBase: options.widgetsBase || `${host}/sdk/widgets/`,
          who: () => {
            const { userId, anonymousId, identityHash } = identity.person;
            return { userId, anonymousId, identityHash };
          },
          sessionId: () => identity.session(Date.now()),
          track: (event, properties) => core.track(event, properties),
          debug: log,
        });
  const reloadFlows = (): void => {
    clearTimeout(flowsTimer);
    // Coalesced: init, identify and a page view in one task fetch once.
    flowsTimer = setTimeout(() => {
      if (store && !state.optedOut) flows?.load().catch((error: unknown) => log("flows failed", error));
    }, 0);
  };

  const enqueue = (type: string, fields: Properties): void => {
    if (!records(state)) return;
    const now = Date.now();
    const { anonymousId, userId, identityHash } = identity.person;
    const facts: Properties = { ...pageContext(), sessionId: identity.session(now) };
    if (userId && identityHash) facts.identityHash = identityHash;
    const message: Message = {
      type,
      messageId: uuid(),
      timestamp: new Date(now).toISOString(),
      anonymousId,
      ...(userId ? { userId } : {}),
      ...fields,
      context: facts,
    };
    const json = JSON.stringify(message);
    // A character is at most 3 bytes of UTF-8: most messages are small enough not to count.
    if (json.length * 3 > MAX_MESSAGE_BYTES && byteLength(json) > MAX_MESSAGE_BYTES) {
      const errors = { _schema: ["message is larger than 32 KB"] };
      log("message refused", errors);
      emitter.emit("rejected", message, errors);
      return;
    }
    emitter.emit("track", message);
    for (const dropped of queue.add(message)) {
      log("dropped", dropped);
      emitter.emit("dropped", dropped);
    }
    delivery.added();
  };

  const change = (to: ConsentChange, remembered?: boolean): void => {
    state = next(state, to, remembered);
    delivery.enabled = sends(state);
  };
  const drop = (): void => {
    queue.clear();
    flows?.clear();
  };
  const grant = (): void => {
    if (store) return change("granted");
    store = firstStore(localStore, cookies);
    change("granted", store.get(`${prefix}optout`) === "1");
    const before = identity.person.anonymousId;
    identity.attach(store, cookies());
    const after = identity.person.anonymousId;
    // Calls made before consent were made by the visitor this browser already knew.
    queue.replace((message) => (message.anonymousId === before ? { ...message, anonymousId: after } : message));
    if (state.optedOut) queue.clear();
    const adopt = (): void =>
      void queue.adopt().then(
        (count) => void (count && delivery.flush()),
        (error: unknown) => log("adopt failed", error),
      );
    // Never a cookie: the queue would go to the app's server with every request.
    void queue.attach(localStore() ?? memoryStore()).then(() => {
      adopt();
      void delivery.flush();
      // A tab that closed while this one started still held its lock then: look again later.
      setInterval(adopt, ADOPT_EVERY_MS);
    });
    reloadFlows();
  };

  const core: Core = {
    identify(userId, traits, extra) {
      const changed = userId !== undefined && userId !== identity.person.userId;
      identity.identify(userId, traits, extra?.identityHash);
      enqueue("identify", { traits: traits ?? {} });
      if (changed) reloadFlows();
    },
    track(event, properties = {}) {
      enqueue("track", { event, properties });
      flows?.tracked(event, properties);
    },
    page(name, properties) {
      enqueue("page", { ...(name ? { name } : {}), properties: { ...pageFacts(), ...properties } });
    },
    group(groupId, traits = {}) {
      enqueue("group", { groupId, traits });
    },
    alias(userId, previousId) {
      const { userId: current, anonymousId } = identity.person;
      enqueue("alias", { userId, previousId: previousId ?? current ?? anonymousId });
      identity.alias(userId);
    },
    reset() {
      identity.reset();
      flows?.clear();
      reloadFlows();
    },
    flush: () => delivery.flush(true),
    optOut() {
      change("optOut");
      store?.set(`${prefix}optout`, "1");
      drop();
    },
    optIn() {
      change("optIn");
      store?.remove(`${prefix}optout`);
      delivery.enabled = !!store;
      reloadFlows();
    },
    consent(answer) {
      if (answer !== "denied") return grant();
      change(answer);
      drop();
    },
    show: (id) => (flows && store && !state.optedOut ? flows.show(id) : Promise.resolve(false)),
    user: () => {
      const { anonymousId, userId, traits } = identity.person;
      return { anonymousId, userId, traits };
    },
  };

  const hide = (): void => delivery.hide();
  win.addEventListener("pagehide", hide);
  win.document.addEventListener("visibilitychange", () => win.document.visibilityState === "hidden" && hide());
  win.addEventListener("online", () => delivery.online());
  if (options.autoPage || flows) {
    watchHistory(win, () => {
      if (options.autoPage) core.page();
      reloadFlows();
    });
  }
  if (options.consent !== "pending") grant();
  if (options.autoPage) core.page();
  return core;
}
