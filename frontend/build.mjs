// Bundles the editor into app/static/vendor/codemirror/, copies Mermaid's prebuilt browser bundle
// into app/static/vendor/mermaid/ (the design diagram's renderer, run only inside a sandboxed
// frame: see app/web/routes/diagram.py) and axe-core for the browser tests.
// Run `npm ci && npm run build` here only to update them; the output is committed, so the app and
// its tests never need npm or the network.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
const version = (name) => JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")).version;

const editorDir = `${root}app/static/vendor/codemirror/`;
mkdirSync(editorDir, { recursive: true });
const bundle = await build({
  metafile: true,
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

// Mermaid ships one self-contained minified script (every diagram type, d3, dagre, DOMPurify...):
// a classic script, so the sandboxed (opaque-origin) renderer frame loads it without CORS
const mermaidDir = `${root}app/static/vendor/mermaid/`;
mkdirSync(mermaidDir, { recursive: true });
copyFileSync("node_modules/mermaid/dist/mermaid.min.js", `${mermaidDir}mermaid.min.js`);
copyFileSync("node_modules/mermaid/LICENSE", `${mermaidDir}LICENSE`);
copyFileSync("node_modules/mermaid/THIRD_PARTY_NOTICES", `${mermaidDir}THIRD_PARTY_NOTICES`);

const axeDir = `${root}tests/browser/vendor/`;
mkdirSync(axeDir, { recursive: true });
copyFileSync("node_modules/axe-core/axe.min.js", `${axeDir}axe.min.js`);
copyFileSync("node_modules/axe-core/LICENSE", `${axeDir}LICENSE-axe-core`);

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
// the packages esbuild put in the editor's bundle (mermaid's dependencies are not among them)
const bundled = [...new Set(Object.keys(bundle.metafile.inputs)
  .map((input) => input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[0])
  .filter(Boolean))].sort();
const versionsFile = `${root}app/static/vendor/versions.json`;
const versions = JSON.parse(readFileSync(versionsFile, "utf8"));
versions.codemirror = {
  version: version("@codemirror/view"),
  built_by: "frontend/ (npm ci && npm run build): esbuild bundles frontend/editor.mjs",
  packages: Object.fromEntries(bundled.map((p) => [p.slice("node_modules/".length), lock[p].version])),
  files: ["codemirror/editor.js", "codemirror/LICENSE"],
};
versions.mermaid = {
  version: version("mermaid"),
  integrity: lock["node_modules/mermaid"].integrity,
  files: ["mermaid/mermaid.min.js", "mermaid/LICENSE", "mermaid/THIRD_PARTY_NOTICES"],
};
versions["axe-core"] = {
  version: version("axe-core"),
  integrity: lock["node_modules/axe-core"].integrity,
  files: ["tests/browser/vendor/axe.min.js (browser tests only)"],
};
writeFileSync(versionsFile, `${JSON.stringify(versions, null, 2)}\n`);
