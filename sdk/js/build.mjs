// Builds the browser bundles (ESM and the minified IIFE, with source maps) and, with
// --tests, the node unit tests. Type declarations come from tsc (see package.json).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { build, transform } from "esbuild";
import { minify } from "terser";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url)));
const common = {
  bundle: true,
  minify: true,
  // The maps are written beside the bundles without a comment pointing at them: the collector
  // names them in a SourceMap header, so browsers do not download that comment on every load.
  sourcemap: "external",
  target: ["es2020"],
  define: { __VERSION__: JSON.stringify(version) },
  // Members of the internal interfaces end in "_" and get short names in the bundles; nothing
  // else does: public API, message and storage fields, and DOM names are never spelled so.
  mangleProps: /_$/,
  logLevel: "warning",
};

if (process.argv.includes("--tests")) {
  rmSync("build/tests", { recursive: true, force: true });
  const tests = readdirSync("test").filter((name) => name.endsWith(".test.ts"));
  await build({
    ...common,
    minify: false,
    sourcemap: true,
    entryPoints: tests.map((name) => `test/${name}`),
    outdir: "build/tests",
    outExtension: { ".js": ".mjs" },
    platform: "node",
    format: "esm",
  });
} else {
  rmSync("dist", { recursive: true, force: true });
  mkdirSync("dist");
  // The module is for bundlers, which follow the comment to the map.
  await shrunk({ entryPoints: ["src/index.ts"], outfile: "dist/waypost.mjs", format: "esm" }, true);
  await shrunk({ entryPoints: ["src/iife.ts"], outfile: "dist/waypost.js", format: "iife" }, false);
  const snippet = await transform(readFileSync("snippet.js", "utf8"), { minify: true, target: "es5" });
  writeFileSync("dist/snippet.min.js", snippet.code);
}

/**
 * esbuild bundles and terser compresses again, with the map carried through: terser's passes
 * take a few hundred bytes (gzip) more off than esbuild's minifier alone, and the core bundle
 * has a size budget.
 */
async function shrunk(options, pointToMap) {
  const { outputFiles } = await build({ ...common, ...options, minify: false, minifySyntax: true, write: false });
  const file = (suffix) => outputFiles.find((output) => output.path.endsWith(suffix)).text;
  const name = basename(options.outfile);
  const result = await minify(file(name), {
    ecma: 2020,
    module: options.format === "esm",
    // `unsafe` assumes the page has not replaced built-ins; here it drops `new` before RegExp
    // and Error and joins template literals with `+`, the same for the strings and numbers
    // they hold (it would differ only for an object with its own valueOf).
    compress: { passes: 2, unsafe: true },
    mangle: true,
    sourceMap: { content: file(`${name}.map`), filename: name, ...(pointToMap ? { url: `${name}.map` } : {}) },
  });
  writeFileSync(options.outfile, result.code);
  writeFileSync(`${options.outfile}.map`, result.map);
}
