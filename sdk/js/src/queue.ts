/**
 * The messages waiting to be sent. Each tab keeps its own queue in storage under a key of
 * its own, so that a reload or a crash loses nothing and two tabs never send the same
 * message; a queue whose tab is gone is adopted by the next tab that looks.
 */

import type { Message } from "./batch";
import { parse, uuid } from "./env";
import type { Store } from "./storage";
import { exclusively, heldLocks, hold, supported } from "./tabs";

/** Without Web Locks, a queue untouched this long belongs to a tab that is gone. */
export const STALE_MS = 10 * 60 * 1000;

const LONG_QUEUE = 100;
const SAVE_LONG_EVERY_MS = 1000;

interface Stored {
  t: number;
  m: Message[];
}

export interface Queue {
  readonly items_: Message[];
  /** Add a message; returns the oldest ones dropped to stay within the size limit. */
  add_(message: Message): Message[];
  remove_(ids: Set<string>): void;
  replace_(change: (message: Message) => Message): void;
  clear_(): void;
  /** Write to storage now (the page is going away). */
  save_(): void;
  /** Persist to `store` from now on (once this tab's lock is held, when locks exist). */
  attach_(store: Store): Promise<void>;
  /** Take over the queues of tabs that are gone; returns how many messages came. */
  adopt_(): Promise<number>;
  /** Write to storage now and never again, and let go of the queue: another tab may adopt it. */
  close_(): void;
}

export function createQueue(prefix: string, max: number, now: () => number = Date.now): Queue {
  const base = `${prefix}q_`;
  const key = base + uuid();
  let items: Message[] = [];
  let store: Store | undefined;
  let scheduled = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let release = (): void => undefined;
  const save = (): void => {
    scheduled = false;
    if (!store) return;
    if (items.length) store.set(key, JSON.stringify({ t: now(), m: items } satisfies Stored));
    else store.remove_(key);
  };
  // Saved once per task, so a loop of calls writes storage once; a long queue (the network
  // is down) at most once a second, since each write costs time in proportion to its length.
  const changed = (): void => {
    if (scheduled) return;
    scheduled = true;
    if (items.length < LONG_QUEUE) queueMicrotask(save);
    else timer = setTimeout(save, SAVE_LONG_EVERY_MS);
  };
  const orphaned = (other: string, found: Stored, held?: Set<string>): boolean =>
    held ? !held.has(other) : now() - found.t > STALE_MS;
  const take = (other: string, held?: Set<string>): number => {
    // Closed while adopting (which waits for locks), the queue has no store any more.
    const found = parse<Stored>(store?.get(other));
    if (!found || !orphaned(other, found, held)) return 0;
    const known = new Set(items.map((message) => message.messageId));
    const fresh = found.m.filter((message) => !known.has(message.messageId));
    items = [...fresh, ...items];
    // Written at once, inside the lock, so the messages are never in no queue at all.
    save();
    store!.remove_(other);
    return fresh.length;
  };
  return {
    get items_() {
      return items;
    },
    add_(message) {
      items.push(message);
      changed();
      const dropped: Message[] = [];
      // shift, not splice: V8 trims the front of an array in place.
      while (items.length > max) dropped.push(items.shift()!);
      return dropped;
    },
    remove_(ids) {
      items = items.filter((message) => !ids.has(message.messageId));
      changed();
    },
    replace_(change) {
      items = items.map(change);
      changed();
    },
    clear_() {
      items = [];
      changed();
    },
    save_: save,
    attach_(persistent) {
      return new Promise((done) => {
        const keep = (): void => {
          if (!closed) {
            store = persistent;
            changed();
          }
          done();
        };
        if (supported()) release = hold(key, keep);
        else keep();
      });
    },
    async adopt_() {
      if (!store) return 0;
      // Keys first, then locks: a queue listed here was saved after its tab held its lock.
      const others = store.keys().filter((other) => other.startsWith(base) && other !== key);
      if (!others.length) return 0;
      const held = supported() ? await heldLocks() : undefined;
      let adopted = 0;
      for (const other of others) {
        await exclusively(`${base}adopt`, () => void (adopted += take(other, held)));
      }
      return adopted;
    },
    close_() {
      save();
      // Left set, `scheduled` makes every later change write nothing.
      closed = scheduled = true;
      store = undefined;
      clearTimeout(timer);
      release();
    },
  };
}
