// Builds the add-on: one ESM file per widget type, shared code in chunks, one CSS file.
// `--outdir=DIR` writes somewhere other than dist/ (tests build into their own directory).
import { rm } from "node:fs/promises";
import { resolve } from "node:path";
import { build } from "esbuild";

export const WIDGETS = ["tour", "checklist", "announcement", "hotspot", "resource_center", "survey"];
const root = new URL("..", import.meta.url).pathname;
const option = process.argv.find((arg) => arg.startsWith("--outdir="));
const outdir = option ? resolve(option.slice("--outdir=".length)) : `${root}dist`;

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(WIDGETS.map((name) => [name, `src/${name}.ts`])),
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  target: "es2020",
  minify: true,
  legalComments: "none",
  chunkNames: "chunks/[name]-[hash]",
});
await build({
  absWorkingDir: root,
  entryPoints: { widgets: "css/widgets.css" },
  outdir,
  bundle: true,
  minify: true,
  target: "chrome90",
});
