// Writes src/api-schema.d.ts, the types of the collector's API answers and bodies, from its
// OpenAPI document, so that the dashboard's types follow what the collector describes.
//
//   npm run types                               the document printed by `waypost openapi`
//   node scripts/api-types.mjs SPEC.json [OUT]  a document already written to a file
//
// `waypost` is the one in the repository's .venv unless WAYPOST_BIN names another.
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import openapiTS from "openapi-typescript";

const dashboard = fileURLToPath(new URL("..", import.meta.url));
const [specPath, outPath = `${dashboard}src/api-schema.d.ts`] = process.argv.slice(2);

function printedSpec() {
  const waypost = process.env.WAYPOST_BIN ?? `${dashboard}../.venv/bin/waypost`;
  return execFileSync(waypost, ["openapi"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

const spec = JSON.parse(specPath ? await readFile(specPath, "utf8") : printedSpec());
await writeFile(outPath, await openapiTS(spec));
