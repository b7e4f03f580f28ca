// The test files worth running again on PostgreSQL (.ci/run): those that open the app's database
// through test/helper.ts (build) or test/lib/test-database.ts, directly or through the files they
// import. The others never touch a database (rules, parsers, lint) or are about SQLite itself and
// run on their own SQLite files whatever TEST_DATABASE_URL says (SQLITE_ONLY, with the reason):
// running them twice would prove nothing more. Prints one path per line.
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'

const SQLITE_ONLY = [
  'test/crash/', // SIGKILL, WAL and the SQLite backup, checked with better-sqlite3 on the file
  'test/build.test.ts', // npm start smoke test on a fresh DATA_DIR (SQLite, the two README commands)
  'test/server.test.ts', // the server process on a fresh DATA_DIR
  'test/cli.test.ts', // operator commands on DATA_DIR's SQLite file (backup is SQLite's)
  'test/cli-team.test.ts',
  'test/data-dir.test.ts', // file modes of the SQLite database and its -wal, -shm
  'test/db/timestamps.test.ts', // SQLite's old representations converted by its migration
  'test/db/transaction.test.ts', // BEGIN IMMEDIATE and SQLITE_BUSY
]
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
  .filter((f) => !SQLITE_ONLY.some((s) => f.startsWith(s)))
  .filter((f) => reaches(path.resolve(f)))
  .sort()
console.log(files.join('\n'))
