import assert from "node:assert/strict";
import { test } from "node:test";
import { experiencesOf, moduleOf } from "../src/flows";
import { delayOf, onEvent, onPage, urlMatches } from "../src/triggers";
import type { DeliveredExperience } from "../src/widget-host";

const at = (path: string): string => `https://app.example.com${path}`;

test("a path pattern matches the page's path, ignoring the query", () => {
  assert.ok(urlMatches("/dashboard", at("/dashboard?tab=1")));
  assert.ok(!urlMatches("/dashboard", at("/dashboards")));
});

test("a star matches any run of characters", () => {
  assert.ok(urlMatches("/app/*/settings", at("/app/42/settings")));
  assert.ok(urlMatches("/app/*", at("/app/")));
  assert.ok(!urlMatches("/app/*", at("/apps")));
});

test("a trailing slash is not significant, as on the collector", () => {
  assert.ok(urlMatches("/reports/", at("/reports")));
  assert.ok(urlMatches("/reports", at("/reports/")));
  assert.ok(urlMatches("/", at("/")));
});

test("everything but the star matches literally", () => {
  assert.ok(urlMatches("/a.b+(c)", at("/a.b+(c)")));
  assert.ok(!urlMatches("/a.b", at("/axb")));
});

test("a full URL pattern matches the whole address", () => {
  assert.ok(urlMatches("https://app.example.com/r*", at("/reports?x=1")));
  assert.ok(!urlMatches("https://other.example.com/*", at("/reports")));
});

test("page_load is the default trigger and fires on every page without a url", () => {
  assert.ok(onPage({}, at("/anything")));
  assert.ok(onPage({ type: "page_load" }, at("/x")));
});

test("a page_load trigger with a url fires only on matching pages", () => {
  assert.ok(onPage({ type: "page_load", url: "/dashboard*" }, at("/dashboard/1")));
  assert.ok(!onPage({ type: "page_load", url: "/dashboard*" }, at("/reports")));
});

test("other triggers never fire on page load", () => {
  assert.ok(!onPage({ type: "manual" }, at("/")));
  assert.ok(!onPage({ type: "event", event: "E" }, at("/")));
});

test("an event trigger fires on its event only", () => {
  assert.ok(onEvent({ type: "event", event: "Report Created" }, "Report Created"));
  assert.ok(!onEvent({ type: "event", event: "Report Created" }, "Report Deleted"));
  assert.ok(!onEvent({ type: "page_load" }, "Report Created"));
});

test("a delay trigger waits its seconds", () => {
  assert.equal(delayOf({ type: "delay", seconds: 30 }), 30_000);
  assert.equal(delayOf({ type: "delay" }), 0);
  assert.equal(delayOf({ type: "page_load" }), undefined);
});

const experience = (fields: Partial<DeliveredExperience>): DeliveredExperience => ({
  id: "x",
  kind: "flow",
  type: "tour",
  version: 1,
  ...fields,
});

test("each flow type has a widget module of its name", () => {
  for (const type of ["tour", "checklist", "announcement", "hotspot", "resource_center"]) {
    assert.equal(moduleOf(experience({ type })), `${type}.js`);
  }
});

test("every survey type shares the survey module", () => {
  for (const type of ["nps", "csat", "ces"]) assert.equal(moduleOf(experience({ kind: "survey", type })), "survey.js");
});

test("a type that is not a plain name never becomes a path", () => {
  assert.equal(moduleOf(experience({ type: "../evil" })), undefined);
  assert.equal(moduleOf(experience({ type: "https://evil.example/x" })), undefined);
});

test("delivered flows and surveys are merged, highest priority first", () => {
  const answer = { flows: [{ id: "f", priority: 1 }], surveys: [{ id: "s", priority: 5 }, { id: "t" }] };
  const merged = experiencesOf(answer);
  assert.deepEqual(merged.map((e) => [e.id, e.kind]), [["s", "survey"], ["f", "flow"], ["t", "survey"]]);
});

test("an answer without lists delivers nothing", () => {
  assert.deepEqual(experiencesOf(undefined), []);
  assert.deepEqual(experiencesOf({ flows: "no" }), []);
});
