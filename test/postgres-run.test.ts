import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import t from 'tap'
import { build } from './helper.ts'
import { buildWithRoutes } from './lib/routes.ts'
import { onPostgres, wrongDatabase } from './lib/test-database.ts'

// The PostgreSQL run (.ci/run) runs again the files scripts/postgres-test-files.mjs selects. It
// proves something only if their apps really are on PostgreSQL: built by test/helper.ts's build()
// (which refuses SQLite under TEST_DATABASE_URL, unless asked), or, for a server process, given
// testDatabaseEnv(t).

/** How a test file's source builds an app outside `build`, one line per way (empty: none). */
export function appsOutsideBuild(source: string): string[] {
  const found: string[] = []
  if (/from '(\.\.\/)+src\/app\.ts'/.test(source)) found.push('imports src/app.ts (registers the app itself)')
  if (/\bloadConfig\(/.test(source) && /\bregister\(/.test(source)) found.push('registers an app with its own loadConfig()')
  if (/\bstartServer\(/.test(source) && !/\btestDatabaseEnv\(/.test(source)) found.push('starts a server process without testDatabaseEnv(t)')
  return found
}

const selected = execFileSync(process.execPath, ['scripts/postgres-test-files.mjs'], { encoding: 'utf8' }).trim().split('\n')

t.test('every file selected for the PostgreSQL run builds its apps through build() or testDatabaseEnv', async (t) => {
  t.ok(selected.length > 40, `${selected.length} files selected`)
  // This file holds the probes of the next test, and builds through build() itself.
  for (const file of selected.filter((f) => f !== 'test/postgres-run.test.ts')) t.same(appsOutsideBuild(readFileSync(file, 'utf8')), [], file)
})

t.test('the check sees an app built another way', async (t) => {
  t.same(appsOutsideBuild(`import app from '../../src/app.ts'\nawait server.register(app, { config })`), ['imports src/app.ts (registers the app itself)'])
  t.same(appsOutsideBuild(`const config = loadConfig({ DATA_DIR })\nawait server.register(plugin, { config })`), ['registers an app with its own loadConfig()'])
  t.same(appsOutsideBuild(`const server = await startServer(t, dataDir)`), ['starts a server process without testDatabaseEnv(t)'])
  t.same(appsOutsideBuild(`const env = await testDatabaseEnv(t)\nconst server = await startServer(t, dataDir, env)`), [])
})

t.test('the route-table sweeps are in the PostgreSQL run', async (t) => {
  // hostile-uploads is about file contents (FILE_CONTENT_ONLY in the selection script); page-width
  // and form-association about the markup and CSS of the same pages (RENDERING_ONLY).
  const notDatabase = ['hostile-uploads.test.ts', 'page-width.test.ts', 'form-association.test.ts']
  const sweeps = readdirSync('test/sweeps')
    .filter((f) => f.endsWith('.test.ts') && !notDatabase.includes(f))
    .map((f) => `test/sweeps/${f}`)
  t.ok(sweeps.length >= 10, `${sweeps.length} sweeps`)
  for (const sweep of sweeps) t.ok(selected.includes(sweep), sweep)
})

t.test('under TEST_DATABASE_URL an app on SQLite is refused, unless the test asked for SQLite', async (t) => {
  t.equal(wrongDatabase({ onPostgres: false, dbKind: 'sqlite', sqliteAsked: false }), null)
  t.equal(wrongDatabase({ onPostgres: true, dbKind: 'postgres', sqliteAsked: false }), null)
  t.equal(wrongDatabase({ onPostgres: true, dbKind: 'sqlite', sqliteAsked: true }), null)
  t.match(wrongDatabase({ onPostgres: true, dbKind: 'sqlite', sqliteAsked: false }), /TEST_DATABASE_URL is set, yet this test app was built on SQLite/)
})

t.test('build() and the sweeps’ buildWithRoutes() are on the database of the run', async (t) => {
  const expected = onPostgres ? 'postgres' : 'sqlite'
  t.equal((await build(t)).dbKind, expected, `build(): ${expected}`)
  t.equal((await buildWithRoutes(t)).server.dbKind, expected, `buildWithRoutes(): ${expected}`)
})
