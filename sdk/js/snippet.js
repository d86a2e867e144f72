// The loader snippet: put it in <head>, with your collector's address in place of
// WAYPOST_HOST. It defines `window.waypost` at once, so calls made before the script has
// arrived are kept, in order, and run by the script when it loads (as Segment's snippet does).
(function (w, d, host) {
  var stub = (w.waypost = w.waypost || []);
  if (!Array.isArray(stub) || stub.loading) return;
  stub.loading = true;
  var methods = "init identify track page group alias reset flush on off optOut optIn consent debug show".split(" ");
  for (var i = 0; i < methods.length; i++) {
    (function (method) {
      stub[method] = function () {
        stub.push([method].concat([].slice.call(arguments)));
        return stub;
      };
    })(methods[i]);
  }
  var script = d.createElement("script");
  script.async = true;
  script.src = host + "/sdk/waypost.js";
  d.head.appendChild(script);
})(window, document, "WAYPOST_HOST");
