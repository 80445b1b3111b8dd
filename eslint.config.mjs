// ESLint for the pages' scripts: plain browser scripts (no modules, no build step), each
// loaded by a <script src> after the Socket.IO client and common.js. tests/test_js_lint.py
// runs it as part of `python -m pytest`.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Third-party and generated files are not ours to lint.
    ignores: ["queue_server/static/vendor/**", ".venv/**", "build/**", "dist/**", "instance/**"],
  },
  js.configs.recommended,
  {
    files: ["kiosk/static/**/*.js", "display/static/**/*.js", "queue_server/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {
        ...globals.browser,
        io: "readonly",     // the Socket.IO client (queue_server/static/vendor/socket.io.min.js)
        GECC: "readonly",   // common.js's helpers, shared by every page
      },
    },
    rules: {
      // The scripts keep ES5's `catch (e) { /* ignore */ }`; an unused catch binding is no bug.
      "no-unused-vars": ["error", { caughtErrors: "none" }],
    },
  },
];
