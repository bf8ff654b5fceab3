// Bundles the editor into app/static/vendor/codemirror/ and copies axe-core for the browser tests.
// Run `npm ci && npm run build` here only to update them; the output is committed, so the app and
// its tests never need npm or the network.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version;

const editorDir = `${root}app/static/vendor/codemirror/`;
mkdirSync(editorDir, { recursive: true });
await build({
  entryPoints: ["editor.mjs"],
  outfile: `${editorDir}editor.js`,
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  legalComments: "none",
});
// every bundled package is MIT-licensed, by the CodeMirror and Lezer authors
copyFileSync("node_modules/@codemirror/view/LICENSE", `${editorDir}LICENSE`);

const axeDir = `${root}tests/browser/vendor/`;
mkdirSync(axeDir, { recursive: true });
copyFileSync("node_modules/axe-core/axe.min.js", `${axeDir}axe.min.js`);
copyFileSync("node_modules/axe-core/LICENSE", `${axeDir}LICENSE-axe-core`);

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
const bundled = Object.keys(lock).filter((p) => p.startsWith("node_modules/") && !/esbuild|axe-core/.test(p));
const versionsFile = `${root}app/static/vendor/versions.json`;
const versions = JSON.parse(readFileSync(versionsFile, "utf8"));
versions.codemirror = {
  version: version("@codemirror/view"),
  built_by: "frontend/ (npm ci && npm run build): esbuild bundles frontend/editor.mjs",
  packages: Object.fromEntries(bundled.map((p) => [p.slice("node_modules/".length), lock[p].version])),
  files: ["codemirror/editor.js", "codemirror/LICENSE"],
};
versions["axe-core"] = {
  version: version("axe-core"),
  integrity: lock["node_modules/axe-core"].integrity,
  files: ["tests/browser/vendor/axe.min.js (browser tests only)"],
};
writeFileSync(versionsFile, `${JSON.stringify(versions, null, 2)}\n`);
