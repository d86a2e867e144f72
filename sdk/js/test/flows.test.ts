import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, test } from "node:test";
import { createFlows, type Flows } from "../src/flows";
import { installWindow, removeWindow, type FakeWindow } from "./fakes";

// Stand-in widget modules on disk, imported by the SDK as it imports the add-on's files.
const STAND_IN = "export function mount(experience) { globalThis.mounted.push(experience.id); return { destroy() {} }; }";
const assets = mkdtempSync(join(tmpdir(), "waypost-widgets-"));
for (const type of ["tour", "announcement", "checklist", "hotspot", "resource_center", "survey"]) {
  writeFileSync(join(assets, `${type}.js`), STAND_IN);
}
const mounted = (): string[] => (globalThis as unknown as { mounted: string[] }).mounted;

let fake: FakeWindow;
beforeEach(() => {
  fake = installWindow();
  (globalThis as unknown as { mounted: string[] }).mounted = [];
});
afterEach(removeWindow);

type Trigger = Record<string, unknown>;
const flow = (id: string, type: string, priority = 0, trigger: Trigger = { type: "page_load" }) => ({
  id, type, version: 1, priority, trigger,
});
const survey = (id: string, trigger: Trigger = { type: "page_load" }) => flow(id, "nps", 0, trigger);

/** Flows started on a page where `GET /v1/flows` delivers these flows and surveys. */
async function loaded(delivered: { flows?: object[]; surveys?: object[] }): Promise<Flows> {
  fake.answers.push({ status: 200, body: { flows: [], surveys: [], ...delivered } });
  const flows = createFlows({
    host_: "https://collector.test",
    writeKey_: "wk_1",
    assetsBase_: `${pathToFileURL(assets).href}/`,
    locale_: "en",
    who_: () => ({ userId: "u1" }),
    sessionId_: () => "s1",
    track_: () => undefined,
    debug_: () => undefined,
  });
  await flows.load_();
  await imported();
  return flows;
}

const imported = (): Promise<void> => new Promise((done) => setTimeout(done, 50));

test("an open checklist does not keep a due tour away", async () => {
  await loaded({ flows: [flow("list", "checklist", 9), flow("tour", "tour")] });
  assert.deepEqual(mounted().sort(), ["list", "tour"]);
});

test("launchers coexist with each other and with a survey", async () => {
  await loaded({
    flows: [flow("list", "checklist"), flow("help", "resource_center"), flow("beacon", "hotspot")],
    surveys: [survey("nps")],
  });
  assert.deepEqual(mounted().sort(), ["beacon", "help", "list", "nps"]);
});

test("of two tours due together only the higher priority one shows", async () => {
  await loaded({ flows: [flow("low", "tour", 1), flow("high", "tour", 5)] });
  assert.deepEqual(mounted(), ["high"]);
});

test("a survey due on an event waits while a tour holds the screen", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour")], surveys: [survey("nps", { type: "event", event: "Saved" })] });
  flows.tracked_("Saved", {});
  await imported();
  assert.deepEqual(mounted(), ["tour"]);
});

test("a completed tour frees the screen for the next due survey", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour")], surveys: [survey("nps", { type: "event", event: "Saved" })] });
  flows.tracked_("Flow Completed", { flow_id: "tour" });
  flows.tracked_("Saved", {});
  await imported();
  assert.deepEqual(mounted(), ["tour", "nps"]);
});

test("a survey due on an event shows while a checklist is open", async () => {
  const flows = await loaded({ flows: [flow("list", "checklist")], surveys: [survey("nps", { type: "event", event: "Saved" })] });
  flows.tracked_("Saved", {});
  await imported();
  assert.deepEqual(mounted(), ["list", "nps"]);
});

test("a dismissed checklist does not free the screen a tour holds", async () => {
  const flows = await loaded({
    flows: [flow("list", "checklist", 1), flow("tour", "tour"), flow("other", "announcement", 0, { type: "event", event: "Saved" })],
  });
  flows.tracked_("Flow Dismissed", { flow_id: "list" });
  flows.tracked_("Saved", {});
  await imported();
  assert.deepEqual(mounted(), ["list", "tour"]);
});

test("an announcement due with a tour shows once the tour is completed", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour", 5), flow("news", "announcement")] });
  assert.deepEqual(mounted(), ["tour"]);
  flows.tracked_("Flow Completed", { flow_id: "tour" });
  await imported();
  assert.deepEqual(mounted(), ["tour", "news"]);
});

test("a survey due on an event while a tour holds the screen shows once the tour is dismissed", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour")], surveys: [survey("nps", { type: "event", event: "Saved" })] });
  flows.tracked_("Saved", {});
  flows.tracked_("Flow Dismissed", { flow_id: "tour" });
  await imported();
  assert.deepEqual(mounted(), ["tour", "nps"]);
});

test("experiences waiting for the screen take it one at a time, highest priority first", async () => {
  const flows = await loaded({
    flows: [flow("tour", "tour", 9), flow("news", "announcement", 1)],
    surveys: [{ ...survey("nps"), priority: 5 }],
  });
  flows.tracked_("Flow Completed", { flow_id: "tour" });
  await imported();
  assert.deepEqual(mounted(), ["tour", "nps"]);
  flows.tracked_("Survey Responded", { survey_id: "nps" });
  await imported();
  assert.deepEqual(mounted(), ["tour", "nps", "news"]);
});

test("a finished launcher does not release what waits for the screen", async () => {
  const flows = await loaded({ flows: [flow("list", "checklist", 9), flow("tour", "tour", 5), flow("news", "announcement")] });
  flows.tracked_("Flow Dismissed", { flow_id: "list" });
  await imported();
  assert.deepEqual(mounted().sort(), ["list", "tour"]);
});

test("an experience that finished elsewhere does not release what waits for the screen", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour", 5), flow("news", "announcement")] });
  flows.tracked_("Flow Completed", { flow_id: "some-other-tab" });
  await imported();
  assert.deepEqual(mounted(), ["tour"]);
});

test("a new answer forgets what waited for the screen on the last page", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour", 5), flow("news", "announcement")] });
  const elsewhere = flow("news", "announcement", 0, { type: "page_load", url: "/elsewhere" });
  fake.answers.push({ status: 200, body: { flows: [flow("tour", "tour", 5), elsewhere], surveys: [] } });
  await flows.load_();
  flows.tracked_("Flow Completed", { flow_id: "tour" });
  await imported();
  assert.deepEqual(mounted(), ["tour"]);
});

test("an experience waiting for the screen is shown once, even when it falls due again", async () => {
  const flows = await loaded({ flows: [flow("tour", "tour", 5), flow("news", "announcement", 0, { type: "event", event: "Saved" })] });
  flows.tracked_("Saved", {});
  flows.tracked_("Saved", {});
  flows.tracked_("Flow Completed", { flow_id: "tour" });
  await imported();
  flows.tracked_("Flow Dismissed", { flow_id: "news" });
  await imported();
  assert.deepEqual(mounted(), ["tour", "news"]);
});

test("an answer still on its way when flows are cleared is not shown", async () => {
  const flows = await loaded({});
  fake.answers.push({ status: 200, body: { flows: [flow("tour", "tour")], surveys: [] } });
  const loading = flows.load_();
  flows.clear_();
  await loading;
  await imported();
  assert.deepEqual(mounted(), []);
});

test("a widget still loading when flows are cleared is not mounted", async () => {
  const flows = await loaded({});
  fake.answers.push({ status: 200, body: { flows: [flow("tour", "tour")], surveys: [] } });
  await flows.load_();
  flows.clear_();
  await imported();
  assert.deepEqual(mounted(), []);
});
