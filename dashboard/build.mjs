// Builds the dashboard into dist/: index.html, assets/app.js (Chart.js bundled), assets/app.css.
import { copyFile, mkdir, rm } from "node:fs/promises";
import { build } from "esbuild";

const root = new URL(".", import.meta.url).pathname;

await rm(`${root}dist`, { recursive: true, force: true });
await mkdir(`${root}dist/assets`, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: { app: "src/main.ts", "app-styles": "src/styles.css" },
  outdir: "dist/assets",
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
});
await copyFile(`${root}index.html`, `${root}dist/index.html`);
