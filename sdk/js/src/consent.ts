/**
 * Whether this browser may be tracked, from two answers: the app's about consent (its cookie
 * banner, say) and the visitor's own opt-out, which storage remembers. The states and their
 * changes only: the instance applies what a change means to storage, the queue and flows.
 */

/** `pending`: no answer yet, calls wait in memory; `granted`: stored and sent; `denied`: dropped. */
export type Consent = "pending" | "granted" | "denied";

export interface ConsentState {
  readonly consent_: Consent;
  readonly optedOut_: boolean;
}

/** The app's answer, or the visitor's opt-out or opt-in. */
export type ConsentChange = Exclude<Consent, "pending"> | "optOut" | "optIn";

export const PENDING: ConsentState = { consent_: "pending", optedOut_: false };

/**
 * The state after `change`. The grant that opens storage passes the opt-out that earlier pages
 * stored there, `remembered`, which replaces the one in memory: until storage may be read,
 * nothing is known of the visitor's answer.
 */
export function next(state: ConsentState, change: ConsentChange, remembered?: boolean): ConsentState {
  if (change === "optOut" || change === "optIn") return { ...state, optedOut_: change === "optOut" };
  return { consent_: change, optedOut_: remembered ?? state.optedOut_ };
}

/** Calls become messages: kept in memory while consent is pending, sent once it is granted. */
export const records = (state: ConsentState): boolean => !state.optedOut_ && state.consent_ !== "denied";

/** Messages waiting are sent, and flows are fetched and shown. */
export const sends = (state: ConsentState): boolean => !state.optedOut_ && state.consent_ === "granted";
