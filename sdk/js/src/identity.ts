/**
 * Who is calling: the anonymous id (UUID v4), the user id with its traits and identity hash,
 * and the session. Kept in memory until `attach_` is given a store (consent may come later).
 */

import { parse, uuid } from "./env";
import { memoryStore, type Store } from "./storage";
import type { Properties } from "./widget-host";

export interface Person {
  anonymousId: string;
  userId?: string;
  traits: Properties;
  identityHash?: string;
  session?: { id: string; at: number };
}

/** A session ends after this long without a call, as in most analytics tools. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
const SESSION_TOUCH_MS = 60 * 1000;

/**
 * Members ending in "_" get short names in the bundles; identify, alias and reset share their
 * names with the public calls, which the bundle spells anyway, so shortening them costs bytes.
 */
export interface Identity {
  readonly person_: Person;
  attach_(store: Store, cookies?: Store): void;
  identify(userId: string | undefined, traits: Properties | undefined, hash?: string): void;
  alias(userId: string): void;
  reset(): void;
  session_(now: number): string;
}

export function createIdentity(prefix: string): Identity {
  const key = `${prefix}id`;
  const cookieKey = `${prefix}aid`;
  let person: Person = { anonymousId: uuid(), traits: {} };
  let store: Store = memoryStore();
  let cookies: Store | undefined;
  // What this page set before storage was attached; it wins over what earlier pages stored.
  let own: Partial<Person> = {};
  const save = (): void => {
    store.set(key, JSON.stringify(person));
    cookies?.set(cookieKey, person.anonymousId);
  };
  const change = (values: Partial<Person>): void => {
    own = { ...own, ...values };
    person = { ...person, ...values };
    save();
  };
  return {
    get person_() {
      return person;
    },
    attach_(persistent, jar) {
      store = persistent;
      cookies = jar;
      const stored = parse<Person>(store.get(key));
      const anonymousId = jar?.get(cookieKey) || stored?.anonymousId || person.anonymousId;
      person = { ...person, ...stored, anonymousId, ...own };
      save();
    },
    identify(userId, traits, hash) {
      const other = userId !== undefined && userId !== person.userId;
      change({
        userId: userId ?? person.userId,
        // Another user on the same browser starts with their own traits, not the last one's.
        traits: { ...(other ? {} : person.traits), ...traits },
        identityHash: hash ?? (other ? undefined : person.identityHash),
      });
    },
    alias(userId) {
      change({ userId, identityHash: undefined });
    },
    reset() {
      own = {};
      change({ anonymousId: uuid(), userId: undefined, traits: {}, identityHash: undefined });
    },
    session_(now) {
      const current = person.session;
      const live = current && now - current.at < SESSION_IDLE_MS;
      // Storage is written at most once a minute per session, not on every call.
      if (!live || now - current.at > SESSION_TOUCH_MS) {
        change({ session: { id: live ? current.id : uuid(), at: now } });
      }
      return person.session!.id;
    },
  };
}
