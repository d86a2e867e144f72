import assert from "node:assert/strict";
import { test } from "node:test";
import { SESSION_IDLE_MS, createIdentity } from "../src/identity";
import { memoryStore } from "../src/storage";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("a new visitor gets a random UUID v4 anonymous id", () => {
  const first = createIdentity("p_").person_.anonymousId;
  assert.match(first, UUID_V4);
  assert.notEqual(createIdentity("p_").person_.anonymousId, first);
});

test("the next page finds the same visitor, user and traits in storage", () => {
  const store = memoryStore();
  const before = createIdentity("p_");
  before.attach_(store);
  before.identify("u1", { plan: "pro" });
  delete before.person_.identityHash;
  const after = createIdentity("p_");
  after.attach_(store);
  const { anonymousId, userId, traits } = after.person_;
  assert.deepEqual({ anonymousId, userId, traits }, { ...before.person_, traits: { plan: "pro" } });
});

test("the anonymous id shared in a cookie wins, so subdomains agree", () => {
  const cookies = memoryStore();
  cookies.set("p_aid", "from-cookie");
  const identity = createIdentity("p_");
  identity.attach_(memoryStore(), cookies);
  assert.equal(identity.person_.anonymousId, "from-cookie");
});

test("a user identified before storage was allowed is kept over the stored one", () => {
  const store = memoryStore();
  const earlier = createIdentity("p_");
  earlier.attach_(store);
  earlier.identify("old", {});
  const identity = createIdentity("p_");
  identity.identify("new", { plan: "pro" });
  identity.attach_(store);
  assert.equal(identity.person_.userId, "new");
  assert.equal(identity.person_.anonymousId, earlier.person_.anonymousId);
});

test("identifying the same user again merges traits", () => {
  const identity = createIdentity("p_");
  identity.identify("u1", { plan: "pro" }, "hash");
  identity.identify("u1", { seats: 3 });
  assert.deepEqual(identity.person_.traits, { plan: "pro", seats: 3 });
  assert.equal(identity.person_.identityHash, "hash");
});

test("another user on the same browser does not inherit the last one's traits or hash", () => {
  const identity = createIdentity("p_");
  identity.identify("u1", { plan: "pro" }, "hash");
  identity.identify("u2", { seats: 3 });
  assert.deepEqual(identity.person_.traits, { seats: 3 });
  assert.equal(identity.person_.identityHash, undefined);
});

test("traits alone update the current user", () => {
  const identity = createIdentity("p_");
  identity.identify("u1", {});
  identity.identify(undefined, { plan: "pro" });
  assert.equal(identity.person_.userId, "u1");
  assert.deepEqual(identity.person_.traits, { plan: "pro" });
});

test("reset starts a new anonymous visitor with no user", () => {
  const identity = createIdentity("p_");
  const before = identity.person_.anonymousId;
  identity.identify("u1", { plan: "pro" }, "hash");
  identity.reset();
  assert.notEqual(identity.person_.anonymousId, before);
  assert.equal(identity.person_.userId, undefined);
  assert.deepEqual(identity.person_.traits, {});
});

test("alias makes the new id the current user", () => {
  const identity = createIdentity("p_");
  identity.alias("u9");
  assert.equal(identity.person_.userId, "u9");
});

test("a session lasts while calls keep coming", () => {
  const identity = createIdentity("p_");
  const first = identity.session_(0);
  assert.equal(identity.session_(SESSION_IDLE_MS - 1), first);
  assert.equal(identity.session_(2 * SESSION_IDLE_MS - 2), first);
});

test("a session ends after thirty idle minutes", () => {
  const identity = createIdentity("p_");
  const first = identity.session_(0);
  assert.notEqual(identity.session_(SESSION_IDLE_MS + 1), first);
});

test("storage written by another script is ignored, not thrown", () => {
  const store = memoryStore();
  store.set("p_id", "{not json");
  const identity = createIdentity("p_");
  identity.attach_(store);
  assert.match(identity.person_.anonymousId, UUID_V4);
});
