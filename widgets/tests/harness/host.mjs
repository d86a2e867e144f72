// A WidgetHost for driving the widgets in a browser without the SDK core: it sends each track
// call to a real collector at once, fetches deliveries from GET /v1/flows, and keeps what it
// sent in `sent` so tests can wait for it.

function uuid() {
  return crypto.randomUUID();
}

export function start(config) {
  const listeners = new Set();
  const mounted = new Map();
  const state = { sent: [], pending: 0, errors: [], debug: [], mounted };
  const base = new URL("/sdk/widgets/", location.href).href;

  function send(event, properties) {
    const message = {
      type: "track",
      event,
      properties,
      userId: config.userId,
      messageId: uuid(),
      timestamp: new Date().toISOString(),
      context: { sessionId: config.sessionId, locale: config.locale, page: { url: location.href } },
    };
    state.pending += 1;
    state.sent.push([event, properties]);
    const body = JSON.stringify({ batch: [message], writeKey: config.writeKey, sentAt: new Date().toISOString() });
    return fetch(`${config.collector}/v1/batch`, { method: "POST", body, keepalive: true, headers: { "content-type": "text/plain" } })
      .then(async (response) => {
        const answer = await response.json();
        if (!response.ok || answer.rejected?.length) state.errors.push(answer);
      })
      .finally(() => (state.pending -= 1));
  }

  async function delivered() {
    const query = new URLSearchParams({
      writeKey: config.writeKey,
      userId: config.userId,
      locale: config.locale,
      sessionId: config.sessionId,
      url: location.href,
    });
    const response = await fetch(`${config.collector}/v1/flows?${query}`);
    const body = await response.json();
    return [
      ...body.flows.map((flow) => ({ ...flow, kind: "flow" })),
      ...body.surveys.map((survey) => ({ ...survey, kind: "survey" })),
    ];
  }

  function hostFor(id) {
    return {
      locale: config.locale,
      sessionId: config.sessionId,
      assetsBase: base,
      track: (event, properties) => void send(event, properties),
      onTrack(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      refresh: async () => (await delivered()).find((experience) => experience.id === id),
      debug: (message, detail) => state.debug.push([message, detail]),
    };
  }

  async function mount(id, experience) {
    const found = experience ?? (await delivered()).find((candidate) => candidate.id === id);
    if (!found) throw new Error(`experience ${id} is not delivered`);
    const file = found.kind === "survey" ? "survey" : found.type;
    const module = await import(`${base}${file}.js`);
    mounted.set(found.id, module.mount(found, hostFor(found.id)));
    return found;
  }

  /** What the app itself tracks: sent to the collector, and heard by the widgets. */
  function track(event, properties = {}) {
    const sending = send(event, properties);
    listeners.forEach((listener) => listener(event, properties));
    return sending;
  }

  function destroy(id) {
    mounted.get(id)?.destroy();
    mounted.delete(id);
  }

  window.waypostHarness = { state, mount, track, destroy };
  return Promise.resolve();
}
