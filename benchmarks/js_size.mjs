// Browser bundle sizes and the cost of track(), each beside a baseline from the same run.
//
//   node benchmarks/js_size.mjs [--quick]      (after `npm ci` in benchmarks/)
//
// Sizes: every library is built here the same way (esbuild, ESM with code splitting,
// minified, ES2020) and measured as minified, gzip and brotli bytes of what a page loads
// first (the entry and the chunks it imports statically; lazily imported chunks are shown
// apart). The baseline is the Waypost core. To compare more libraries (tour libraries for
// the widgets, say), add entries to LIBRARIES: a name, a group and the module source.
//
// Speed: Waypost's track() in Chromium (Debian's, driven by playwright-core), µs per call
// over 10,000 calls, beside the same loop calling an empty function; medians of rounds,
// each round in a fresh browser profile.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { createServer } from "node:http";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const HERE = dirname(fileURLToPath(import.meta.url));
const SDK = join(HERE, "..", "sdk", "js");
const QUICK = process.argv.includes("--quick");
const CALLS = 10_000;
const ROUNDS = QUICK ? 3 : 9;
const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const { version } = JSON.parse(readFileSync(join(SDK, "package.json"), "utf8"));
const DEFINE = { __VERSION__: JSON.stringify(version) };

export const LIBRARIES = [
  {
    group: "core",
    name: "waypost (sdk/js)",
    baseline: true,
    source: `import { waypost } from ${JSON.stringify(join(SDK, "src", "index.ts"))};
      waypost.init({ writeKey: "wk" }); window.waypost = waypost;`,
  },
  {
    group: "core",
    name: "@segment/analytics-next",
    source: `import { AnalyticsBrowser } from "@segment/analytics-next";
      window.analytics = AnalyticsBrowser.load({ writeKey: "wk" });`,
  },
  {
    group: "core",
    name: "posthog-js (slim)",
    source: `import posthog from "posthog-js/dist/module.slim.js"; posthog.init("phc", {}); window.posthog = posthog;`,
  },
  {
    group: "core",
    name: "posthog-js",
    source: `import posthog from "posthog-js"; posthog.init("phc", {}); window.posthog = posthog;`,
  },
];

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) =>
  brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The outputs a page loads first: the entry and, transitively, its static imports. */
function firstLoad(metafile, entry) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const imported of metafile.outputs[path].imports) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  return seen;
}

export async function measure(library) {
  const result = await build({
    stdin: { contents: library.source, resolveDir: HERE, loader: "ts", sourcefile: "entry.ts" },
    bundle: true, minify: true, format: "esm", splitting: true, target: ["es2020"],
    outdir: "out", write: false, metafile: true, define: DEFINE, logLevel: "error",
    legalComments: "none",
  });
  // The metafile names outputs relative to the working directory, the files absolutely.
  const files = new Map(result.outputFiles.map((file) => [resolve(file.path), file.contents]));
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint)[0];
  const first = [...firstLoad(result.metafile, entry)].map((path) => files.get(resolve(path)));
  const joined = Buffer.concat(first.map((bytes) => Buffer.from(bytes)));
  const all = Buffer.concat(result.outputFiles.map((file) => Buffer.from(file.contents)));
  return { ...library, minified: joined.length, gzip: gzip(joined), brotli: brotli(joined), allGzip: gzip(all) };
}

function printSizes(rows) {
  const base = rows.find((row) => row.baseline);
  console.log("bundle sizes (first load; bytes)");
  console.log(
    "library".padEnd(26) + "minified".padStart(10) + "gzip".padStart(8) + "brotli".padStart(8) +
      "  vs waypost" + "  all chunks gzip" + "  vs waypost",
  );
  for (const row of rows) {
    const ratio = (value, baseline) => `${(value / baseline).toFixed(2)}x`.padStart(12);
    console.log(
      row.name.padEnd(26) + String(row.minified).padStart(10) + String(row.gzip).padStart(8) +
        String(row.brotli).padStart(8) + ratio(row.gzip, base.gzip) +
        String(row.allGzip).padStart(18) + ratio(row.allGzip, base.allGzip),
    );
  }
  const shipped = readFileSync(join(SDK, "dist", "waypost.js"));
  console.log(`shipped sdk/js/dist/waypost.js: ${shipped.length} minified, ${gzip(shipped)} gzip, ${brotli(shipped)} brotli (target: ≤ 6144 gzip)`);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function trackCost() {
  const script = readFileSync(join(SDK, "dist", "waypost.js"));
  const page = `<!doctype html><title>bench</title><script src="/waypost.js"></script>`;
  const server = createServer((request, response) => {
    const js = request.url === "/waypost.js";
    response.writeHead(200, { "content-type": js ? "text/javascript" : "text/html" });
    response.end(js ? script : page);
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const track = [];
  const empty = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      await tab.goto(url);
      // Port 9 refuses connections at once: sending fails fast and retries later, off the loop.
      const [perTrack, perEmpty] = await tab.evaluate(async (calls) => {
        waypost.init({ writeKey: "wk_bench", host: "http://127.0.0.1:9", flows: false });
        const empty = (event, properties) => [event, properties];
        let start = performance.now();
        for (let i = 0; i < calls; i++) waypost.track("Report Created", { type: "funnel", i });
        await null; // the queue is written to storage once, after the loop: counted here
        const tracked = performance.now() - start;
        start = performance.now();
        for (let i = 0; i < calls; i++) empty("Report Created", { type: "funnel", i });
        await null;
        return [(tracked * 1000) / calls, ((performance.now() - start) * 1000) / calls];
      }, CALLS);
      track.push(perTrack);
      empty.push(perEmpty);
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const [t, e] = [median(track), median(empty)];
  console.log(`\ntrack() in Chromium, ${CALLS} calls, median of ${ROUNDS} rounds`);
  console.log(`waypost.track(): ${t.toFixed(2)} µs per call`);
  console.log(`empty function:  ${e.toFixed(3)} µs per call (baseline)`);
  console.log(`ratio: ${(t / Math.max(e, 0.001)).toFixed(0)}x the empty call`);
}

// --- the widgets add-on beside the tour libraries -----------------------------------------
// The add-on is built by its own build script (`widgets/scripts/build.mjs`: esbuild, ESM with
// code splitting, minified, ES2020) into a scratch directory; driver.js, shepherd.js and
// intro.js are built by `measure` above, the same way. Each counts with its stylesheet
// (minified by esbuild). A widget's first load is its module and the chunks it imports
// statically; a language other than English is a lazily imported chunk, counted apart.

const WIDGETS = join(HERE, "..", "widgets");
const WIDGET_MODULES = ["tour", "checklist", "announcement", "hotspot", "resource_center", "survey"];
const WHOLE_ADDON_TARGET = 14 * 1024;
export const TOUR_LIBRARIES = [
  { group: "widgets", name: "driver.js", baseline: true, css: "driver.js/dist/driver.css", source: `import { driver } from "driver.js"; window.tour = driver;` },
  { group: "widgets", name: "shepherd.js", css: "shepherd.js/dist/css/shepherd.css", source: `import Shepherd from "shepherd.js"; window.tour = Shepherd;` },
  { group: "widgets", name: "intro.js", css: "intro.js/introjs.css", source: `import introJs from "intro.js"; window.tour = introJs;` },
];

async function cssGzip(path) {
  const result = await build({ entryPoints: [path], bundle: true, minify: true, write: false, logLevel: "error" });
  return gzip(result.outputFiles[0].contents);
}

/** Every file of a fresh add-on build, by path relative to its directory. */
function builtWidgets() {
  const outdir = mkdtempSync(join(tmpdir(), "waypost-widgets-"));
  try {
    execFileSync(process.execPath, [join(WIDGETS, "scripts", "build.mjs"), `--outdir=${outdir}`]);
    const names = [...readdirSync(outdir), ...readdirSync(join(outdir, "chunks")).map((name) => `chunks/${name}`)];
    return new Map(names.filter((name) => /\.(js|css)$/.test(name)).map((name) => [name, readFileSync(join(outdir, name))]));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A built file and, transitively, the chunks it imports statically. */
function widgetFirstLoad(files, name, seen = new Set()) {
  if (seen.has(name)) return seen;
  seen.add(name);
  for (const [, chunk] of files.get(name).toString().matchAll(/from\s*"\.\.?\/(?:chunks\/)?([\w-]+\.js)"/g)) {
    widgetFirstLoad(files, `chunks/${chunk}`, seen);
  }
  return seen;
}

export async function measureWidgets() {
  const files = builtWidgets();
  const joined = (names) => Buffer.concat([...names].map((name) => files.get(name)));
  const css = gzip(files.get("widgets.css"));
  const locales = [...files.keys()].filter((name) => /^chunks\/(he|ar|zh|es|fr|de)-/.test(name));
  const language = Math.max(...locales.map((name) => gzip(files.get(name))));
  const modules = WIDGET_MODULES.map((module) => {
    const first = widgetFirstLoad(files, `${module}.js`);
    return { name: `waypost ${module}`, js: gzip(joined(first)), css, language };
  });
  const code = [...files.keys()].filter((name) => name.endsWith(".js") && !locales.includes(name));
  const whole = { name: "waypost add-on (all)", js: gzip(joined(code)), css, language };
  const perFile = code.reduce((total, name) => total + gzip(files.get(name)), 0) + css + language;
  const libraries = await Promise.all(
    TOUR_LIBRARIES.map(async (library) => {
      const measured = await measure(library);
      return { ...library, js: measured.gzip, css: await cssGzip(join(HERE, "node_modules", library.css)), language: 0 };
    }),
  );
  return { modules, whole, perFile, libraries };
}

function printWidgetSizes({ modules, whole, perFile, libraries }) {
  const base = libraries.find((row) => row.baseline);
  const total = (row) => row.js + row.css;
  console.log("\nwidgets beside tour libraries (gzip bytes; JS of the first load, its CSS)");
  console.log("library".padEnd(28) + "js".padStart(8) + "css".padStart(8) + "js+css".padStart(9) + "  vs driver.js" + "  + a language");
  for (const row of [...libraries, ...modules, whole]) {
    const extra = row.language ? String(total(row) + row.language).padStart(15) : "";
    console.log(
      row.name.padEnd(28) + String(row.js).padStart(8) + String(row.css).padStart(8) +
        String(total(row)).padStart(9) + `${(total(row) / total(base)).toFixed(2)}x`.padStart(14) + extra,
    );
  }
  const tour = modules.find((row) => row.name === "waypost tour");
  console.log(`tour + CSS: ${total(tour)} vs driver.js + CSS: ${total(base)} (target: no larger) — ${total(tour) <= total(base) ? "met" : "missed"}`);
  console.log(
    `whole add-on + CSS + one language: ${total(whole) + whole.language} gzip as one download, ${perFile} file by file ` +
      `(target: ≤ ${WHOLE_ADDON_TARGET}) — ${Math.max(total(whole) + whole.language, perFile) <= WHOLE_ADDON_TARGET ? "met" : "missed"}`,
  );
}

printSizes(await Promise.all(LIBRARIES.map(measure)));
await trackCost();
printWidgetSizes(await measureWidgets());
