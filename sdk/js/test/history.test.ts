import assert from "node:assert/strict";
import { test } from "node:test";
import type { Win } from "../src/env";
import { watchHistory } from "../src/history";
import { listeners } from "./fakes";

/** A window whose History API moves its location, as a browser's does. */
function fakeWindow() {
  const location = new URL("https://app.example.com/one");
  const move = (_state: unknown, _title: string, url?: string | URL | null): void => {
    if (url) location.href = new URL(url, location).href;
  };
  const history = { pushState: move, replaceState: move };
  return { win: { ...listeners(), location, history } as unknown as Win & ReturnType<typeof listeners>, history };
}

test("a new path or query is reported, a new hash alone is not", () => {
  const { win } = fakeWindow();
  const seen: string[] = [];
  watchHistory(win, new AbortController().signal, () => seen.push(win.location.pathname + win.location.search));
  win.history.pushState({}, "", "/two");
  win.history.replaceState({}, "", "/two?tab=a");
  win.history.pushState({}, "", "/two?tab=a#top");
  win.location.href = "https://app.example.com/three";
  win.fire("popstate");
  assert.deepEqual(seen, ["/two", "/two?tab=a", "/three"]);
});

test("once the signal aborts, nothing is reported and the History API is put back", () => {
  const { win, history } = fakeWindow();
  const { pushState, replaceState } = history;
  const watching = new AbortController();
  let seen = 0;
  watchHistory(win, watching.signal, () => seen++);
  watching.abort();
  win.history.pushState({}, "", "/two");
  win.fire("popstate");
  assert.equal(seen, 0);
  assert.equal(win.location.pathname, "/two");
  assert.equal(history.pushState, pushState);
  assert.equal(history.replaceState, replaceState);
  assert.equal(win.count(), 0);
});

test("wrapped again by another script, ours stays in the chain and passes calls on", () => {
  const { win, history } = fakeWindow();
  const watching = new AbortController();
  let seen = 0;
  watchHistory(win, watching.signal, () => seen++);
  const ours = history.pushState;
  let theirs = 0;
  history.pushState = (...args) => {
    theirs++;
    ours(...args);
  };
  watching.abort();
  win.history.pushState({}, "", "/two");
  assert.deepEqual([theirs, seen, win.location.pathname], [1, 0, "/two"]);
});
