// Builds the browser bundles (ESM and the minified IIFE, with source maps) and, with
// --tests, the node unit tests. Type declarations come from tsc (see package.json).
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { build, transform } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url)));
const common = {
  bundle: true,
  minify: true,
  // The maps are written beside the bundles without a comment pointing at them: the collector
  // names them in a SourceMap header, so browsers do not download that comment on every load.
  sourcemap: "external",
  target: ["es2020"],
  define: { __VERSION__: JSON.stringify(version) },
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
  // The module is for bundlers, which follow the comment to the map.
  await build({ ...common, sourcemap: true, entryPoints: ["src/index.ts"], outfile: "dist/waypost.mjs", format: "esm" });
  await build({ ...common, entryPoints: ["src/iife.ts"], outfile: "dist/waypost.js", format: "iife" });
  const snippet = await transform(readFileSync("snippet.js", "utf8"), { minify: true, target: "es5" });
  writeFileSync("dist/snippet.min.js", snippet.code);
}
