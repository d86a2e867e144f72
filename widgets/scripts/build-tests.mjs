// Compiles the unit tests of the pure modules for `node --test`.
import { readdir, rm } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL("..", import.meta.url).pathname;
const tests = (await readdir(`${root}tests`)).filter((name) => name.endsWith(".test.ts"));

await rm(`${root}build`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: tests.map((name) => `tests/${name}`),
  outdir: "build/tests",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "inline",
});
