import assert from "node:assert/strict";
import { test } from "node:test";

import { direction, en, language, LANGUAGES, strings, translator, type Key } from "../src/i18n";

async function t(locale: string, key: Key, ...values: number[]): Promise<string> {
  return translator(await strings(locale))(key, ...values);
}

test("ships English, Hebrew, Arabic, Chinese, Spanish, French and German", () => {
  assert.deepEqual(LANGUAGES, ["en", "he", "ar", "zh", "es", "fr", "de"]);
});

test("the language of a region or script tag is its first subtag", () => {
  assert.equal(language("he-IL"), "he");
  assert.equal(language("zh_Hant_TW"), "zh");
  assert.equal(language("FR"), "fr");
});

test("Hebrew and Arabic are right-to-left, the others left-to-right", () => {
  assert.deepEqual(["he-IL", "ar", "fa"].map(direction), ["rtl", "rtl", "rtl"]);
  assert.deepEqual(["en", "zh-CN", "de"].map(direction), ["ltr", "ltr", "ltr"]);
});

test("values fill the numbered places", async () => {
  assert.equal(await t("en", "of", 2, 5), "2 of 5");
  assert.equal(await t("he-IL", "of", 2, 5), "2 מתוך 5");
  assert.equal(await t("zh", "of", 2, 5), "第 2 步，共 5 步");
});

test("a regional locale uses its language's strings", async () => {
  assert.equal(await t("de-AT", "next"), "Weiter");
  assert.equal(await t("ar-EG", "close"), "إغلاق");
});

test("an unknown language falls back to English", async () => {
  assert.equal(await strings("sw"), en);
  assert.equal(await strings(""), en);
});

test("every language translates every string", async () => {
  for (const code of LANGUAGES.slice(1)) {
    const table = await strings(code);
    for (const key of Object.keys(en) as Key[]) {
      assert.ok(table[key].length > 0, `${code}.${key}`);
      if (!["product"].includes(key)) assert.notEqual(table[key], en[key], `${code}.${key}`);
    }
  }
});
