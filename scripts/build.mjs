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
import { rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

/**
 * Two loads at start that the server never needs, each of which pulls `tls` and `http2` (about
 * 10 MB of the idle server's memory on Node 24; docs/performance.md § Mémoire).
 * The bundle defers them; a check below stops the build if a new version changes those lines.
 * - Fastify's lib/server.js requires `node:https` and `node:http2` for servers made with its
 *   `https` or `http2` options, which Certisalle never sets (TLS ends at the proxy in front,
 *   docs/operations.md). Each becomes a getter that requires the module at first use, so a server
 *   made with either option still works.
 * - @fastify/multipart tests `globalThis.FormData` before adding `request.formData()`. On Node,
 *   reading that global loads undici (with its `tls` and `http2`), and on the Node versions we run
 *   on (package.json's engines) it always exists: the test is dropped, `formData()` stays as it was.
 */
const DEFERRED_LOADS = [
  {
    file: /node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/,
    edits: ['https', 'http2'].map((name) => [
      `const ${name} = require('node:${name}')`,
      `const ${name} = new Proxy({}, { get: (_, key) => require('node:${name}')[key] })`,
    ]),
  },
  {
    file: /node_modules[\\/]@fastify[\\/]multipart[\\/]index\.js$/,
    edits: [["if (globalThis.FormData && !fastify.hasRequestDecorator('formData'))", "if (!fastify.hasRequestDecorator('formData'))"]],
  },
]
const deferLoads = {
  name: 'defer-loads',
  setup(builder) {
    for (const { file, edits } of DEFERRED_LOADS) {
      builder.onLoad({ filter: file }, (args) => {
        let contents = readFileSync(args.path, 'utf8')
        for (const [from, to] of edits) {
          if (!contents.includes(from)) throw new Error(`scripts/build.mjs: ${args.path} no longer has "${from}" (DEFERRED_LOADS)`)
          contents = contents.replace(from, to)
        }
        return { contents, loader: 'js' }
      })
    }
  },
}

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
  plugins: [deferLoads],
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

// V8 keeps a module's source for as long as the module lives, in one byte per character while
// every character is Latin-1 and in two otherwise. esbuild writes ASCII, except inside regular
// expressions: one ’ or — in a regex (the sheet's width table, the import's header matching) made
// the whole 1.4 MB server bundle a two-byte string, 1.4 MB more of idle memory. Such characters
// are written as \uXXXX escapes, which mean the same in a regex, a string, a template or a
// comment; test/build.test.ts checks that none is left.
for (const file of readdirSync('dist', { recursive: true })) {
  if (!file.endsWith('.js')) continue
  const target = path.join('dist', file)
  const code = readFileSync(target, 'utf8')
  const escaped = code.replace(/[^\x00-\xff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  if (escaped !== code) writeFileSync(target, escaped)
}
