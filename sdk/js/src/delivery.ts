/**
 * Sending the queue: one batch at a time, retried with backoff until the collector has
 * answered for every message, and handed to `sendBeacon` when the page goes away.
 */

import { backoff } from "./backoff";
import { batches, byteLength, MAX_BATCH_BYTES, MAX_KEEPALIVE_BYTES, type Message, takeBatch } from "./batch";
import type { Queue } from "./queue";
import { beacon, type Outcome, payload, post, type Rejection } from "./transport";

export const MAX_BATCH_COUNT = 100;

const ids = (batch: Message[]): Set<string> => new Set(batch.map((message) => message.messageId));

export interface DeliveryOptions {
  url_: string;
  writeKey_: string;
  flushAt_: number;
  flushInterval_: number;
  /** Messages the collector stored. */
  sent_(messages: Message[]): void;
  /** A message the collector named as invalid: it is dropped, since sending it again cannot help. */
  rejected_(message: Message, errors: unknown): void;
  retrying_(delay: number, reason: unknown): void;
}

export interface Delivery {
  /** Start sending (consent given, not opted out); stopped, messages only wait in the queue. */
  enabled_: boolean;
  added_(): void;
  flush_(force?: boolean): Promise<void>;
  /** The page is hidden or going away: beacon what is not already on its way. */
  hide_(): void;
  /** The network is back: retry now rather than at the end of the backoff. */
  online_(): void;
  /** For good: no timer is left, and nothing more is sent. */
  stop_(): void;
}

export function createDelivery(queue: Queue, options: DeliveryOptions): Delivery {
  const { url_: url, writeKey_: writeKey } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let retryAt = 0;
  let attempt = 0;
  let running: Promise<void> | undefined;
  let inFlight = new Set<string>();
  // After a request refused as a whole, its messages go one by one to find the invalid ones.
  let alone = 0;

  const wake = (delay: number): void => {
    clearTimeout(timer);
    // Stopped, a retry is not waited for: an answer may still arrive after that.
    if (delivery.enabled_) timer = setTimeout(() => void delivery.flush_(), delay);
  };
  const settle = (batch: Message[], rejections: Rejection[]): void => {
    queue.remove_(ids(batch));
    for (const { index, errors } of rejections) if (batch[index]) options.rejected_(batch[index]!, errors);
    const sent = batch.filter((_, index) => !rejections.some((rejection) => rejection.index === index));
    if (sent.length) options.sent_(sent);
  };
  const answered = (batch: Message[], outcome: Outcome): boolean => {
    if (outcome.kind_ === "retry") {
      const delay = Math.max(outcome.after_ ?? 0, backoff(attempt++));
      retryAt = Date.now() + delay;
      options.retrying_(delay, outcome.reason_);
      wake(delay);
      return false;
    }
    attempt = 0;
    if (outcome.kind_ === "invalid" && batch.length > 1) {
      alone = batch.length;
      return true;
    }
    if (alone) alone--;
    const errors = outcome.kind_ === "invalid" ? outcome.errors_ : undefined;
    settle(batch, outcome.kind_ === "sent" ? outcome.rejected_ : [{ index: 0, messageId: null, errors }]);
    return true;
  };
  const send = async (batch: Message[]): Promise<boolean> => {
    const body = payload(writeKey, batch, Date.now());
    inFlight = ids(batch);
    const outcome = await post(url, body, byteLength(body) <= MAX_KEEPALIVE_BYTES);
    inFlight = new Set();
    return answered(batch, outcome);
  };
  const drain = async (): Promise<void> => {
    for (;;) {
      const batch = takeBatch(queue.items_, alone ? 1 : MAX_BATCH_COUNT, MAX_BATCH_BYTES);
      if (!delivery.enabled_ || !batch.length || !(await send(batch))) return;
    }
  };

  const delivery: Delivery = {
    enabled_: false,
    added_() {
      if (!delivery.enabled_ || Date.now() < retryAt) return;
      if (queue.items_.length >= options.flushAt_) void delivery.flush_();
      else if (!timer) wake(options.flushInterval_);
    },
    flush_(force) {
      clearTimeout(timer);
      timer = undefined;
      if (!force && Date.now() < retryAt) {
        wake(retryAt - Date.now());
        return Promise.resolve();
      }
      running ||= drain().finally(() => (running = undefined));
      return running;
    },
    hide_() {
      queue.save_();
      if (!delivery.enabled_) return;
      // While the collector is failing, a beacon may fail too and nobody would know: the
      // messages stay stored as well, for the next page (the collector drops the copies).
      const troubled = Date.now() < retryAt;
      const waiting = queue.items_.filter((message) => !inFlight.has(message.messageId));
      for (const batch of batches(waiting, MAX_BATCH_COUNT, MAX_KEEPALIVE_BYTES)) {
        if (!beacon(url, payload(writeKey, batch, Date.now()))) return;
        if (troubled) continue;
        queue.remove_(ids(batch));
        options.sent_(batch);
      }
    },
    online_() {
      retryAt = 0;
      attempt = 0;
      void delivery.flush_();
    },
    stop_() {
      delivery.enabled_ = false;
      clearTimeout(timer);
    },
  };
  return delivery;
}
