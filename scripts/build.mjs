// `npm run build`: dist/ for `npm start`, `npm run cli` and the spreadsheet reader's process.
//
// One esbuild bundle per entry point (the server, the CLI, the reader's child process, each
// migration), sharing chunks, instead of tsc's one file per module: Node keeps every ES module it
// loads with its own record and scope, and the server loaded about 1,300 of them (Kysely alone is
// 263 files, TypeBox 373). Bundled, the server starts with about ten, and its idle memory drops
// (docs/performance.md § Mémoire). Type checking is `npm run typecheck`'s job, as before.
//
// Kept out of the bundle (loaded from node_modules as before): native modules, what loads at first
// use only (src/lib/lazy-modules.ts, PostgreSQL, Redis, mail), and data read at run time.
// Migrations are entries too, so that they share the server's Kysely (their `instanceof
// PostgresAdapter` sees the same class). Code finds its files from the project folder
// (src/paths.ts), never from its own location: a bundled module does not live where its source did.
import { rmSync, readdirSync } from 'node:fs'
import { build } from 'esbuild'

const migrations = readdirSync('migrations')
  .filter((file) => file.endsWith('.ts'))
  .map((file) => `migrations/${file}`)

/** The spreadsheet reader's process, and each module a SheetParser names (test/build.test.ts checks the list). */
const SPREADSHEET = ['src/lib/spreadsheet/sheet-worker.ts', 'src/features/candidates/ods/import.ts', 'src/features/batch-import/read.ts']

rmSync('dist', { recursive: true, force: true })
await build({
  // The reader's process and the parsers it imports by path (SheetParser in src/lib/spreadsheet/sheet-reader.ts).
  entryPoints: ['src/server.ts', 'src/cli.ts', ...SPREADSHEET, ...migrations],
  outdir: 'dist',
  outbase: '.',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  chunkNames: 'chunks/[name]-[hash]',
  // Whitespace and syntax only: names stay, so a stack trace still names its functions.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  external: [
    'better-sqlite3',
    'pg',
    'ioredis',
    'nodemailer',
    'file-type',
    'openid-client',
    '@node-rs/argon2',
    'xlsx',
    '@etalab/decoupage-administratif',
    'i18n-iso-countries',
  ],
  // The CommonJS packages inside the bundle (Fastify and its plugins) call require().
  banner: { js: "import { createRequire as __certisalleRequire } from 'node:module'; const require = __certisalleRequire(import.meta.url);" },
})
