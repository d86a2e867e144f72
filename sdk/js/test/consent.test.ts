import assert from "node:assert/strict";
import { test } from "node:test";
import { type Consent, type ConsentChange, type ConsentState, next, PENDING, records, sends } from "../src/consent";

const state = (consent: Consent, optedOut = false): ConsentState => ({ consent_: consent, optedOut_: optedOut });
const CONSENTS: Consent[] = ["pending", "granted", "denied"];

test("an instance starts pending: calls are recorded, nothing is sent", () => {
  assert.deepEqual(PENDING, state("pending"));
  assert.equal(records(PENDING), true);
  assert.equal(sends(PENDING), false);
});

test("what each state allows", () => {
  const allowed = (consent: Consent, optedOut: boolean) => [records(state(consent, optedOut)), sends(state(consent, optedOut))];
  assert.deepEqual(allowed("pending", false), [true, false]);
  assert.deepEqual(allowed("granted", false), [true, true]);
  assert.deepEqual(allowed("denied", false), [false, false]);
  for (const consent of CONSENTS) assert.deepEqual(allowed(consent, true), [false, false]);
});

test("the app's answer replaces the one before, whatever it was, and keeps the opt-out", () => {
  for (const from of CONSENTS) {
    for (const optedOut of [false, true]) {
      for (const answer of ["granted", "denied"] as const) {
        assert.deepEqual(next(state(from, optedOut), answer), state(answer, optedOut), `${from} -> ${answer}`);
      }
    }
  }
});

test("opting out and back in changes the opt-out alone, in every consent state", () => {
  for (const consent of CONSENTS) {
    for (const optedOut of [false, true]) {
      assert.deepEqual(next(state(consent, optedOut), "optOut"), state(consent, true));
      assert.deepEqual(next(state(consent, optedOut), "optIn"), state(consent, false));
    }
  }
});

test("the grant that opens storage takes the opt-out stored there", () => {
  assert.deepEqual(next(PENDING, "granted", true), state("granted", true));
  assert.deepEqual(next(state("denied"), "granted", true), state("granted", true));
  // Storage decides: an opt-out made in memory before it opened gives way to it.
  assert.deepEqual(next(state("pending", true), "granted", false), state("granted", false));
});

test("a change never alters the state it started from", () => {
  const before = state("granted");
  for (const change of ["granted", "denied", "optOut", "optIn"] satisfies ConsentChange[]) next(before, change, true);
  assert.deepEqual(before, state("granted"));
});
