import assert from "node:assert/strict";
import { test } from "node:test";

import { END, nextIndex, type Question } from "../src/survey/branching";
import { followUpFor, npsBand, scaleOf, scores, wordsFor } from "../src/survey/scale";

test("NPS is always 0 to 10", () => {
  assert.deepEqual(scaleOf("nps", { min: 1, max: 5 }), { min: 0, max: 10, binary: false });
});

test("CSAT is 1 to 5 unless binary", () => {
  assert.deepEqual(scaleOf("csat", undefined), { min: 1, max: 5, binary: false });
  assert.deepEqual(scaleOf("csat", { binary: true }), { min: 0, max: 1, binary: true });
});

test("CES is 1 to 7 or as given", () => {
  assert.deepEqual(scaleOf("ces", null), { min: 1, max: 7, binary: false });
  assert.deepEqual(scaleOf("ces", { min: 1, max: 10 }), { min: 1, max: 10, binary: false });
  assert.deepEqual(scaleOf("ces", { min: "1", max: 7.5 }), { min: 1, max: 7, binary: false });
});

test("scores run from the scale's minimum to its maximum", () => {
  assert.deepEqual(scores({ min: 1, max: 5, binary: false }), [1, 2, 3, 4, 5]);
  assert.equal(scores(scaleOf("nps", null)).length, 11);
});

test("NPS bands: 0-6 detractor, 7-8 passive, 9-10 promoter", () => {
  assert.deepEqual([0, 6, 7, 8, 9, 10].map(npsBand), [
    "detractor",
    "detractor",
    "passive",
    "passive",
    "promoter",
    "promoter",
  ]);
});

test("the follow-up of a score's band wins over the default", () => {
  const texts = { detractor: "What went wrong?", default: "Why?" };
  assert.equal(followUpFor("nps", 3, texts), "What went wrong?");
  assert.equal(followUpFor("nps", 9, texts), "Why?");
});

test("surveys other than NPS ask the default follow-up", () => {
  assert.equal(followUpFor("csat", 1, { detractor: "No", default: "Tell us more" }), "Tell us more");
  assert.equal(followUpFor("ces", 1, undefined), "");
});

test("each survey type has its own words for the scale ends", () => {
  assert.deepEqual(wordsFor("nps"), { question: null, low: "nps_low", high: "nps_high" });
  assert.equal(wordsFor("csat").question, "csat_q");
  assert.equal(wordsFor("ces").high, "ces_high");
});

const questions: Question[] = [
  {
    id: "role",
    type: "single_choice",
    text: "Role?",
    choices: [
      { id: "dev", label: "Dev" },
      { id: "pm", label: "PM" },
    ],
    next: { pm: "roadmap", dev: "end" },
  },
  { id: "why", type: "text", text: "Why?", next: { default: "end" } },
  { id: "roadmap", type: "text", text: "Next?" },
  { id: "tools", type: "multiple_choice", text: "Tools?", next: { b: "last" } },
  { id: "last", type: "text", text: "Last" },
];

test("a choice leads to the question it names", () => {
  assert.equal(nextIndex(questions, 0, "pm"), 2);
  assert.equal(nextIndex(questions, 0, ["pm"]), 2);
});

test("a choice can end the survey", () => {
  assert.equal(nextIndex(questions, 0, "dev"), END);
});

test("the default rule applies to text answers", () => {
  assert.equal(nextIndex(questions, 1, "anything"), END);
});

test("without a rule the next question follows, and the last one ends", () => {
  assert.equal(nextIndex(questions, 2, "x"), 3);
  assert.equal(nextIndex(questions, 4, "x"), END);
});

test("the first picked choice with a rule decides a multiple choice", () => {
  assert.equal(nextIndex(questions, 3, ["a", "b"]), 4);
  assert.equal(nextIndex(questions, 3, ["a"]), 4);
});

test("an unanswered choice question follows the default or the order", () => {
  assert.equal(nextIndex(questions, 0, undefined), 1);
});

test("a branch backwards ends the survey instead of looping", () => {
  const loop: Question[] = [
    { id: "a", type: "text", text: "A" },
    { id: "b", type: "text", text: "B", next: { default: "a" } },
  ];
  assert.equal(nextIndex(loop, 1, "x"), END);
});
