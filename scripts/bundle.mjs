// Writes the two things others deploy (scripts/bundle.sh runs this; README, "Serving the page"
// and "The widget"):
//   target/bundle/                     the pages as static files: www/ with pkg/ inside it, as
//                                      `ecs-password serve` lays them out, for any static server
//                                      and any sub-path (packages/static/README.md)
//   target/npm/ecs-password-widget/    the npm package of <ecs-password>: its modules, worker,
//                                      styles, catalogs (i18n/, and pkg/locales/ with pkg/fluent/),
//                                      the three wasm modules and their .d.ts, the hand-written
//                                      .d.ts of packages/widget/, a package.json
//                                      versioned as Cargo's workspace (packages/widget/README.md)
// Needs the release build in pkg/ (scripts/build-wasm.sh). Every relative import, and every
// `new URL("...", import.meta.url)`, of the files written must name a file that is there.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const ROOT = new URL("..", import.meta.url).pathname;
const at = (/** @type {string} */ path) => join(ROOT, path);
const MODULES = ["keys", "cloud", "export"];

/** The workspace's version, from `[workspace.package]` in Cargo.toml. */
function cargoVersion() {
  const section = readFileSync(at("Cargo.toml"), "utf8").split(/^\[workspace\.package\]$/m)[1] ?? "";
  const version = section.split(/^\[/m)[0].match(/^version\s*=\s*"([^"]+)"/m)?.[1];
  if (!version) throw new Error("no version in Cargo.toml's [workspace.package]");
  return version;
}

/** The files under `dir` (relative paths), dotfiles left out. @param {string} dir @returns {string[]} */
function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .filter((p) => !p.split("/").some((part) => part.startsWith(".")))
    .sort();
}

/** Copies `files` (relative paths) from `from` to `to`. @param {string} from @param {string} to @param {string[]} files */
function copy(from, to, files) {
  for (const file of files) {
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(from, file), join(to, file));
  }
}

/** pkg/: the wasm-bindgen output of the modules, the catalogues and @fluent/bundle (without the `.d.ts` unless `types`). @param {boolean} types */
function pkgFiles(types) {
  const files = [];
  for (const module of MODULES) {
    const glue = `pkg/${module}/ecs_password_${module}.js`;
    if (!existsSync(at(glue)) || !existsSync(at(`pkg/${module}/ecs_password_${module}_bg.wasm`))) {
      throw new Error(`${glue} or its .wasm is missing: run scripts/build-wasm.sh first`);
    }
    files.push(...filesUnder(at(`pkg/${module}`)).map((f) => `pkg/${module}/${f}`).filter((f) => types || !f.endsWith(".d.ts")));
  }
  // The message catalogues and their renderer (@fluent/bundle, with its licence).
  for (const dir of ["locales", "fluent"]) {
    if (!existsSync(at(`pkg/${dir}`))) throw new Error(`pkg/${dir}/ is missing: run scripts/build-wasm.sh first`);
    files.push(...filesUnder(at(`pkg/${dir}`)).map((f) => `pkg/${dir}/${f}`).filter((f) => types || !f.endsWith(".d.ts")));
  }
  return files;
}

/**
 * Fails if a JS file under `dir` names a relative module or asset that is not there: static and
 * dynamic imports and `new URL("...", import.meta.url)` (a template literal's variable part is
 * taken as "en", the catalog every build has).
 * @param {string} dir
 */
function checkClosed(dir) {
  const missing = [];
  for (const file of filesUnder(dir).filter((f) => f.endsWith(".js"))) {
    const source = readFileSync(join(dir, file), "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    const en = (/** @type {RegExpMatchArray} */ m) => m[1].replace(/\$\{[^}]*\}/g, "en");
    // Module specifiers must be relative ("./", "../"); a URL is relative unless it has a scheme or a leading "/".
    const modules = [
      ...source.matchAll(/\b(?:import|export)\b[^"'`;]*?\bfrom\s*["'`]([^"'`]+)["'`]/g),
      ...source.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g),
      ...source.matchAll(/^\s*import\s*["'`]([^"'`]+)["'`]/gm),
    ].map(en);
    const urls = [...source.matchAll(/\bnew URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)].map(en);
    for (const spec of [...modules.map((m) => (m.startsWith(".") ? m : `(not relative) ${m}`)), ...urls]) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) continue;
      const target = join(dir, dirname(file), spec);
      if (spec.startsWith("(") || spec.startsWith("/") || !target.startsWith(join(dir, "/")) || !existsSync(target)) missing.push(`${file}: ${spec}`);
    }
  }
  if (missing.length) throw new Error(`${relative(ROOT, dir)}/: not there, or not relative: ${missing.join(", ")}`);
}

/** target/bundle/: every file of www/ but the type declarations, pkg/ inside it, a README. */
function bundle() {
  const out = at("target/bundle");
  rmSync(out, { recursive: true, force: true });
  copy(at("www"), out, filesUnder(at("www")).filter((f) => !f.endsWith(".d.ts")));
  copy(ROOT, out, pkgFiles(false));
  cpSync(at("packages/static/README.md"), join(out, "README.md"));
  checkClosed(out);
  return out;
}

/** The widget's files of www/: the entry points, the element's modules, worker, styles, catalogs. */
const WIDGET_FILES = () => [
  "ecs-password-widget.js", "ecs-password-define.js", "ecs-password-widget.css", "decrypt-worker.js", "export-worker.js",
  ...filesUnder(at("www/widget")).map((f) => `widget/${f}`),
  ...filesUnder(at("www/i18n")).map((f) => `i18n/${f}`),
];

/** package.json: what the package exports (`exports`: each with its types where there are some). */
function packageJson() {
  const wasm = Object.fromEntries(MODULES.flatMap((m) => [
    [`./${m}`, { types: `./pkg/${m}/ecs_password_${m}.d.ts`, default: `./pkg/${m}/ecs_password_${m}.js` }],
    [`./${m}.wasm`, { types: `./pkg/${m}/ecs_password_${m}_bg.wasm.d.ts`, default: `./pkg/${m}/ecs_password_${m}_bg.wasm` }],
  ]));
  return {
    name: "ecs-password-widget",
    version: cargoVersion(),
    description: "<ecs-password>: get, clear and reset a Windows server's password on Huawei Cloud, Open Telekom Cloud or OpenStack with your private key, decrypted in a Web Worker (WebAssembly).",
    license: "MIT OR Apache-2.0",
    keywords: ["web-component", "custom-element", "ecs", "huawei-cloud", "openstack", "nova", "windows-password", "webassembly"],
    type: "module",
    types: "./ecs-password-widget.d.ts",
    exports: {
      ".": { types: "./ecs-password-widget.d.ts", default: "./ecs-password-widget.js" },
      "./define": { types: "./ecs-password-define.d.ts", default: "./ecs-password-define.js" },
      "./element": { types: "./element.d.ts", default: "./widget/element.js" },
      "./fleet": { types: "./fleet.d.ts", default: "./widget/fleet.js" },
      "./worker": "./decrypt-worker.js",
      "./export-client": { types: "./export-client.d.ts", default: "./widget/export-client.js" },
      "./export-worker": "./export-worker.js",
      ...wasm,
      "./i18n": "./i18n/index.js",
      "./i18n/en": "./i18n/en.js",
      "./i18n/zh": "./i18n/zh.js",
      "./ecs-password-widget.css": "./ecs-password-widget.css",
      "./package.json": "./package.json",
    },
    files: ["*.js", "*.d.ts", "*.css", "widget/", "i18n/", "pkg/"],
  };
}

/** target/npm/ecs-password-widget/. */
function npmPackage() {
  const out = at("target/npm/ecs-password-widget");
  rmSync(out, { recursive: true, force: true });
  copy(at("www"), out, WIDGET_FILES());
  copy(ROOT, out, pkgFiles(true));
  copy(at("packages/widget"), out, filesUnder(at("packages/widget")).filter((f) => f !== "types-check.js"));
  writeFileSync(join(out, "package.json"), `${JSON.stringify(packageJson(), null, 2)}\n`);
  checkClosed(out);
  return out;
}

for (const out of [bundle(), npmPackage()]) console.log(`${relative(ROOT, out)}/: ${filesUnder(out).length} files`);
