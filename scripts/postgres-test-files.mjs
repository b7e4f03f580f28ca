// The test files worth running again on PostgreSQL (.ci/run): those that open the app's database
// through test/helper.ts (build) or test/lib/test-database.ts, directly or through the files they
// import. The others never touch a database (rules, parsers, lint) or are about SQLite itself and
// run on their own SQLite files whatever TEST_DATABASE_URL says (SQLITE_ONLY, with the reason):
// running them twice would prove nothing more. Nor do the browser tests about rendering only
// (RENDERING_ONLY: the same templates over the same rows, axe, print layout, the JS enhancements, the
// English walk): the flows they walk are proved on PostgreSQL by the route tests, and they took a
// third of the PostgreSQL run. Nor the tests about file contents only
// (FILE_CONTENT_ONLY), nor all but one of the browser walks (BROWSER_ON_POSTGRES). Prints one path
// per line.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'

const SQLITE_ONLY = [
  'test/crash/', // SIGKILL, WAL and the SQLite backup, checked with better-sqlite3 on the file
  'test/build.test.ts', // npm start smoke test on a fresh DATA_DIR (SQLite, the two README commands)
  'test/server.test.ts', // the server process on a fresh DATA_DIR
  'test/server-privacy.test.ts', // the same process's start-up log (PUBLIC_URL, the purge at start)
  'test/cli.test.ts', // operator commands on DATA_DIR's SQLite file (backup is SQLite's)
  'test/cli-team.test.ts',
  'test/data-dir.test.ts', // file modes of the SQLite database and its -wal, -shm
  'test/db/timestamps.test.ts', // SQLite's old representations converted by its migration
  'test/db/transaction.test.ts', // BEGIN IMMEDIATE and SQLITE_BUSY
]
const RENDERING_ONLY = [
  'test/e2e/a11y.test.ts', // axe-core on every page: markup, contrast, labels
  'test/e2e/a11y-english.test.ts', // the same in English
  'test/e2e/english.test.ts', // the English catalogue walked page by page
  'test/e2e/enhance.test.ts', // public/js/enhance.js, JavaScript on
  'test/e2e/printables.test.ts', // A4 print layout of the printables (PDF through Chromium)
  'test/sweeps/page-width.test.ts', // every page's width in Chromium at 320, 375 and 1280 px: CSS over the same markup
  'test/sweeps/form-association.test.ts', // the markup of every page: no form=, formaction, formmethod
]
// About what a file's bytes make of an upload (LibreOffice's .ods read back exactly, the hostile-file
// corpus refused at the door): the same parser and limits whatever the database; the writes that
// follow an accepted file (replaceCandidates, the batch confirmation, documents as bytea) run on
// PostgreSQL in candidates-import, batch-import(-ods) and finalisation-documents.
const FILE_CONTENT_ONLY = ['test/routes/sessions/candidates-roundtrip.test.ts', 'test/sweeps/hostile-uploads.test.ts']
// The other browser walks (JavaScript off) prove what the HTML lets a person do, which no database
// changes; each flow they walk is proved on PostgreSQL by its route tests (fastify.inject on the real
// database) and, across processes, by test/db/multi-instance.test.ts. One walk stays on PostgreSQL:
// the Espace surveillant, where staff, invigilator and candidate act at once in three browsers.
const BROWSER_ON_POSTGRES = ['test/e2e/supervision.test.ts']
const isOtherBrowserWalk = (f) => f.startsWith('test/e2e/') && !BROWSER_ON_POSTGRES.includes(f)
const OPENS_DATABASE = ['test/helper.ts', 'test/lib/test-database.ts'].map((f) => path.resolve(f))

const cache = new Map()
function reaches(file, seen = new Set()) {
  if (cache.has(file)) return cache.get(file)
  if (seen.has(file)) return false
  seen.add(file)
  if (OPENS_DATABASE.includes(file)) return true
  const source = existsSync(file) ? readFileSync(file, 'utf8') : ''
  let result = false
  for (const [, spec] of source.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), spec)
    if (target.includes(`${path.sep}src${path.sep}`)) continue
    if (reaches(target, seen)) {
      result = true
      break
    }
  }
  cache.set(file, result)
  return result
}

const files = readdirSync('test', { recursive: true })
  .map((f) => path.join('test', f))
  .filter((f) => f.endsWith('.test.ts') && !f.includes('fixtures'))
  .filter((f) => !SQLITE_ONLY.some((s) => f.startsWith(s)) && !RENDERING_ONLY.includes(f) && !FILE_CONTENT_ONLY.includes(f) && !isOtherBrowserWalk(f))
  .filter((f) => reaches(path.resolve(f)))
  .sort()
console.log(files.join('\n'))
