import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { LIBRARY, browserLocale, campaign, contextOf, pageFacts } from "../src/context";
import { installWindow, removeWindow } from "./fakes";

afterEach(removeWindow);

test("UTM parameters become Segment's campaign fields", () => {
  assert.deepEqual(campaign("?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=t&utm_content=c"), {
    source: "news",
    medium: "email",
    name: "spring",
    term: "t",
    content: "c",
  });
});

test("a query without UTM parameters has no campaign", () => {
  assert.equal(campaign("?page=2"), undefined);
});

test("UTM names are read whatever their case", () => {
  assert.deepEqual(campaign("?UTM_SOURCE=ads"), { source: "ads" });
});

test("the context names the library, the page, the screen, the locale and the campaign", () => {
  installWindow();
  const facts = contextOf("he-IL")();
  assert.deepEqual(facts.library, LIBRARY);
  assert.equal(facts.locale, "he-IL");
  assert.equal(facts.userAgent, "node");
  assert.deepEqual(facts.screen, { width: 1280, height: 800, density: 2 });
  assert.equal(typeof facts.timezone, "string");
  assert.deepEqual(facts.campaign, { source: "news" });
  assert.deepEqual(facts.page, {
    path: "/reports",
    referrer: "",
    search: "?utm_source=news",
    title: "Test page",
    url: "https://app.example.com/reports?utm_source=news",
  });
});

test("the library is named with the package's version", () => {
  assert.equal(LIBRARY.name, "waypost.js");
  assert.match(LIBRARY.version, /^\d+\.\d+\.\d+/);
});

test("the locale option wins over the browser's", () => {
  installWindow();
  assert.equal(browserLocale("fr"), "fr");
  assert.equal(browserLocale(), "he-IL");
});

test("without a browser there is no page and the locale is English", () => {
  assert.deepEqual(pageFacts(), {});
  assert.equal(browserLocale(), "en");
  assert.deepEqual(Object.keys(contextOf("en")()), ["library", "locale", "page"]);
});
