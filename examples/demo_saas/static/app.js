// Acme Analytics, the demo app: embeds the Waypost SDK as a customer would, and tracks what
// people do with its buttons. Reports are kept in localStorage; a "user" is this browser.
(function () {
  var config = window.DEMO_CONFIG;
  var params = new URLSearchParams(location.search);
  if (params.get("lang")) localStorage.setItem("demo-lang", params.get("lang"));
  var lang = localStorage.getItem("demo-lang") || "en";
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === "he" || lang === "ar" ? "rtl" : "ltr";
  var user = localStorage.getItem("demo-user");
  if (!user) {
    user = "demo-" + Math.random().toString(36).slice(2, 10);
    localStorage.setItem("demo-user", user);
  }

  // The loader snippet (sdk/js/snippet.js), pointed at the collector.
  (function (w, d, host) {
    var stub = (w.waypost = w.waypost || []);
    if (!Array.isArray(stub) || stub.loading) return;
    stub.loading = true;
    var methods = "init identify track page group alias reset flush on off optOut optIn consent debug show".split(" ");
    methods.forEach(function (method) {
      stub[method] = function () {
        stub.push([method].concat([].slice.call(arguments)));
        return stub;
      };
    });
    var script = d.createElement("script");
    script.async = true;
    script.src = host + "/sdk/waypost.js";
    d.head.appendChild(script);
  })(window, document, config.collector);

  var options = { writeKey: config.writeKey, host: config.collector, locale: lang, debug: params.has("debug") };
  if (config.widgetsBase) options.widgetsBase = config.widgetsBase;
  waypost.init(options);
  waypost.identify(user, { plan: "trial", name: "Demo user" });
  waypost.page();

  function reports() {
    return JSON.parse(localStorage.getItem("demo-reports") || "[]");
  }
  function renderReports() {
    var list = document.getElementById("report-list");
    if (!list) return;
    list.replaceChildren();
    var all = reports();
    if (!all.length) list.append(Object.assign(document.createElement("li"), { textContent: "No reports yet" }));
    all.forEach(function (name) {
      list.append(Object.assign(document.createElement("li"), { textContent: name }));
    });
  }
  function on(id, handler) {
    var element = document.getElementById(id);
    if (element) element.addEventListener("click", handler);
  }

  on("new-report", function () {
    var name = "Signup funnel #" + (reports().length + 1);
    localStorage.setItem("demo-reports", JSON.stringify(reports().concat([name])));
    waypost.track("Report Created", { type: "funnel" });
    renderReports();
    document.getElementById("status").textContent = name + " created";
  });
  on("share-report", function () {
    waypost.track("Report Shared", { channel: "email" });
    document.getElementById("status").textContent = "Report shared with your team";
  });
  on("invite", function () {
    var email = document.getElementById("invite-email");
    waypost.track("Teammate Invited", { role: "editor" });
    document.getElementById("status").textContent = "Invitation sent to " + (email.value || "a teammate");
  });
  on("reset", function () {
    ["demo-user", "demo-reports"].forEach(function (key) {
      localStorage.removeItem(key);
    });
    waypost.reset();
    location.assign("/");
  });
  renderReports();
})();
