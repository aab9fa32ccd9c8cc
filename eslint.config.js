// The JavaScript linter (npx eslint .), run by scripts/test.sh over every JS file: the
// recommended rules, with the globals of where each file runs (pages and the worker in a
// browser, tests and the benchmark's runner in Node). Types are checked apart (tsconfig.json).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["pkg/", "target/", "node_modules/", "fuzz/", "tests/artifacts/", "bench/results/"] },
  js.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: { ...globals.browser } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  { files: ["www/decrypt-worker.js"], languageOptions: { globals: { ...globals.worker } } },
  { files: ["tests/**/*.mjs", "bench/*.mjs", "scripts/*.mjs", "eslint.config.js"], languageOptions: { globals: { ...globals.node } } },
];
