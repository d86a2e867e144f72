// Starts the real browser SDK, loaded from the collector as a customer's page loads it, with
// the widgets taken from this app's /sdk/widgets/. `waypostHarness` gives tests what the
// SDK sent and refused, and lets app markup track events.

export function start(config) {
  const state = { sent: [], errors: [] };
  window.waypostHarness = { state, track: (event, properties) => window.waypost.track(event, properties ?? {}) };
  const stub = (window.waypost = []);
  for (const method of ["init", "identify", "track", "on", "show", "flush"]) {
    stub[method] = (...args) => {
      stub.push([method, ...args]);
      return stub;
    };
  }
  const script = Object.assign(document.createElement("script"), { src: `${config.collector}/sdk/waypost.js` });
  document.head.append(script);
  stub.on("track", (message) => message.type === "track" && state.sent.push([message.event, message.properties]));
  stub.on("rejected", (message, errors) => state.errors.push([message.event, errors]));
  stub.init({
    writeKey: config.writeKey,
    host: config.collector,
    locale: config.locale,
    widgetsBase: new URL("/sdk/widgets/", location.href).href,
    flushInterval: 50,
  });
  stub.identify(config.userId);
  return new Promise((resolve) => {
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => resolve(state.errors.push(["the SDK did not load", script.src])));
  });
}
