import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { cookieStore, firstStore, localStore, memoryStore, webStore } from "../src/storage";
import { fakeStorage, installWindow, removeWindow } from "./fakes";

afterEach(removeWindow);

test("local storage that works is used", () => {
  const fake = installWindow();
  localStore()!.set("a", "1");
  assert.equal(fake.localStorage.getItem("a"), "1");
});

test("storage that throws on access (cookies blocked) is not used", () => {
  assert.equal(webStore(() => fakeStorage("read")), undefined);
});

test("storage that refuses writes (quota, private mode) is not used", () => {
  assert.equal(webStore(() => fakeStorage("write")), undefined);
});

test("storage that starts failing later never throws into the caller", () => {
  let broken = false;
  const storage = fakeStorage();
  const store = webStore(() => (broken ? fakeStorage("read") : storage))!;
  broken = true;
  assert.doesNotThrow(() => store.set("a", "1"));
  assert.equal(store.get("a"), null);
});

test("storage that cannot even be reached counts as blocked", () => {
  const store = webStore(() => {
    throw new DOMException("denied", "SecurityError");
  });
  assert.equal(store, undefined);
});

test("the first store that works is taken", () => {
  const memory = memoryStore();
  assert.equal(
    firstStore(() => undefined, () => memory),
    memory,
  );
});

test("with every store blocked, memory keeps values for the page", () => {
  const store = firstStore(
    () => undefined,
    () => {
      throw new Error("blocked");
    },
  );
  store.set("a", "1");
  assert.equal(store.get("a"), "1");
  assert.deepEqual(store.keys(), ["a"]);
  store.remove_("a");
  assert.equal(store.get("a"), null);
});

test("cookies keep and remove values, and list none", () => {
  installWindow();
  const store = cookieStore()!;
  store.set("wp_aid", "a b");
  assert.equal(store.get("wp_aid"), "a b");
  assert.deepEqual(store.keys(), []);
  store.remove_("wp_aid");
  assert.equal(store.get("wp_aid"), null);
});

test("a cookie domain lets subdomains share the value", () => {
  const fake = installWindow();
  const written: string[] = [];
  const descriptor = Object.getOwnPropertyDescriptor(fake.document, "cookie")!;
  Object.defineProperty(fake.document, "cookie", {
    get: descriptor.get,
    set: (text: string) => {
      written.push(text);
      descriptor.set!.call(fake.document, text);
    },
  });
  cookieStore(".example.com")!.set("wp_aid", "1");
  assert.match(written.at(-1)!, /;domain=\.example\.com/);
  assert.match(written.at(-1)!, /;secure/);
});

test("cookies that the browser refuses keep nothing and never throw", () => {
  installWindow({ cookies: false });
  const store = cookieStore()!;
  store.set("wp_aid", "1");
  assert.equal(store.get("wp_aid"), null);
});

test("without a browser there are no cookies", () => {
  assert.equal(cookieStore(), undefined);
  assert.equal(localStore(), undefined);
});
