// What other features may use of oidc (eslint.config.js: a feature imports another only
// through its index.ts). No other feature needs anything of it yet: only its routes use it, and
// routes and tests import any file.
export {}
