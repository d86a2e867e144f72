import assert from "node:assert/strict";
import { test } from "node:test";

import { completes, tickable, type Item } from "../src/checklist";
import { safeUrl } from "../src/dom";
import { startIndex, type Step } from "../src/tour";
import { isPage, matches } from "../src/url";

test("URL patterns match the path, with * for any run of characters", () => {
  assert.equal(matches("/app/*", "https://x.test/app/reports?id=1"), true);
  assert.equal(matches("/app", "https://x.test/app/"), true);
  assert.equal(matches("/app/", "https://x.test/app"), true);
  assert.equal(matches("/app", "https://x.test/apps"), false);
  assert.equal(matches("/a.b", "https://x.test/axb"), false);
});

test("URL patterns starting with a scheme match the whole URL", () => {
  assert.equal(matches("https://x.test/app*", "https://x.test/app/1"), true);
  assert.equal(matches("https://y.test/app*", "https://x.test/app/1"), false);
});

test("a page is a path without wildcards", () => {
  assert.equal(isPage("/reports"), true);
  assert.equal(isPage("/reports/*"), false);
  assert.equal(isPage("https://x.test/reports"), false);
});

const steps: Step[] = [
  { id: "a", url: "/home" },
  { id: "b", url: "/home" },
  { id: "c", url: "/reports" },
  { id: "d" },
];

test("a new tour starts at its first step on this page", () => {
  assert.equal(startIndex(steps, null, "https://x.test/home"), 0);
  assert.equal(startIndex(steps, null, "https://x.test/reports"), 2);
});

test("a tour in progress resumes at the step the person last saw", () => {
  assert.equal(startIndex(steps, { status: "in_progress", step: "b" }, "https://x.test/home"), 1);
});

test("on another page a tour resumes at the first later step that lives there", () => {
  assert.equal(startIndex(steps, { status: "in_progress", step: "b" }, "https://x.test/reports"), 2);
  assert.equal(startIndex(steps, { status: "in_progress", step: "c" }, "https://x.test/other"), 3);
});

test("a tour with no step for this page waits", () => {
  assert.equal(startIndex(steps.slice(0, 3), null, "https://x.test/other"), -1);
});

test("progress that is not in progress starts over", () => {
  assert.equal(startIndex(steps, { status: "dismissed", step: "c" }, "https://x.test/home"), 0);
});

const funnel: Item = { id: "f", completed_by: { event: "Report Created", where: { "properties.type": "funnel" } } };

test("an event completes the items whose rule it matches", () => {
  assert.equal(completes(funnel, "Report Created", { type: "funnel" }), true);
  assert.equal(completes(funnel, "Report Created", { type: "table" }), false);
  assert.equal(completes(funnel, "Report Deleted", { type: "funnel" }), false);
});

test("a where rule compares JSON values strictly", () => {
  const flag: Item = { id: "x", completed_by: { event: "E", where: { "properties.on": true } } };
  assert.equal(completes(flag, "E", { on: 1 }), false);
  assert.equal(completes(flag, "E", { on: true }), true);
});

test("an item without a rule is never completed by an event", () => {
  assert.equal(completes({ id: "m", completed_by: null }, "Report Created", {}), false);
});

test("hand-ticked items are those without an event or marked manual", () => {
  assert.equal(tickable({ id: "m", completed_by: null }), true);
  assert.equal(tickable({ ...funnel, manual: true }), true);
  assert.equal(tickable(funnel), false);
});

test("only http and https links are kept", () => {
  assert.equal(safeUrl("https://docs.example.com/a"), "https://docs.example.com/a");
  assert.equal(safeUrl("javascript:alert(1)"), null);
  assert.equal(safeUrl("data:text/html,x"), null);
  assert.equal(safeUrl("not a url"), null);
  assert.equal(safeUrl(42), null);
});

test("a call to action's path is resolved against the page it is read on", () => {
  assert.equal(safeUrl("/exports", "https://app.example.com/reports?id=1"), "https://app.example.com/exports");
  assert.equal(safeUrl("https://docs.example.com/a", "https://app.example.com/"), "https://docs.example.com/a");
});

test("a call to action to anything but http(s) is refused, whatever page it is read on", () => {
  const page = "https://app.example.com/reports";
  assert.equal(safeUrl("javascript:alert(1)", page), null);
  assert.equal(safeUrl("JavaScript:alert(1)", page), null);
  assert.equal(safeUrl("data:text/html,x", page), null);
  assert.equal(safeUrl("//evil.example/x", "file:///etc/"), null);
});

test("a path on its own is no link where there is no page to resolve it against", () => {
  assert.equal(safeUrl("/exports"), null);
});
