import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { ESLint } from 'eslint'
import t from 'tap'

const root = path.resolve(import.meta.dirname, '..')

/** The rule ids ESLint reports for `code` as if it were the file `file` (the file need not exist). */
async function rulesHit(eslint: ESLint, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return result!.messages.map((m) => m.ruleId ?? m.message)
}

// Issue 13, item 9: the layers of CONTRIBUTING.md are enforced by the linter.
t.test('layer rules', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const cases: Array<[string, string, boolean]> = [
    ['src/features/x/probe.ts', "import Fastify from 'fastify'\nexport const a = Fastify\n", true],
    ['src/features/x/probe.ts', "import fp from 'fastify-plugin'\nexport const a = fp\n", true],
    ['src/features/x/probe.ts', "import { sql } from 'kysely'\nexport const a = sql\n", false],
    ['src/routes/probe.ts', "import { sql } from 'kysely'\nexport const a = sql\n", true],
    ['src/routes/x/probe.ts', "import { createDb } from '../../db/database.ts'\nexport const a = createDb\n", true],
    ['src/routes/x/probe.ts', "import type { FastifyInstance } from 'fastify'\nexport type A = FastifyInstance\n", false],
    ['migrations/2099_01_01_0000_probe.ts', "import { loadConfig } from '../src/config.ts'\nexport const a = loadConfig\n", true],
    ['migrations/2099_01_01_0000_probe.ts', "import { sql } from 'kysely'\nexport const a = sql\n", false],
    ['src/lib/probe.ts', "import type { FastifyReply } from 'fastify'\nexport type A = FastifyReply\n", true],
    ['src/lib/probe.ts', "import path from 'node:path'\nexport const a = path\n", false],
  ]
  for (const [file, code, refused] of cases) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes('no-restricted-imports'), refused, `${file}: ${code.split('\n')[0]} ${refused ? 'refused' : 'allowed'}`)
  }
})

// Issue 13, item 13: routes and our plugins do HTTP only; their queries live in src/features.
t.test('no query in routes nor in src/plugins/app', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const query = "export const q = (app: any) => app.db.selectFrom('candidate').selectAll().execute()\n"
  const cases: Array<[string, string, string, boolean]> = [
    ['src/plugins/app/probe.ts', "import { sql } from 'kysely'\nexport const a = sql\n", 'no-restricted-imports', true],
    ['src/plugins/app/probe.ts', "import type { Db } from '../../db/database.ts'\nexport type A = Db\n", 'no-restricted-imports', true],
    ['src/plugins/app/probe.ts', "import fp from 'fastify-plugin'\nexport const a = fp\n", 'no-restricted-imports', false],
    ['src/routes/probe.ts', query, 'no-restricted-syntax', true],
    ['src/plugins/app/probe.ts', query, 'no-restricted-syntax', true],
    ['src/routes/probe.ts', 'export const q = (app: any) => app.db.destroy()\n', 'no-restricted-syntax', false],
    ['src/features/x/probe.ts', query, 'no-restricted-syntax', false],
  ]
  for (const [file, code, rule, refused] of cases) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes(rule), refused, `${file}: ${code.split('\n')[0]} ${refused ? 'refused' : 'allowed'} (${rule})`)
  }
})

// Services own the writes: a repository imports no service, no rule module and no recordHistory;
// a route imports no repository.
t.test('repositories only query; routes call services', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const cases: Array<[string, string, boolean]> = [
    ['src/features/x/x.repository.ts', "import { saveX } from './x.service.ts'\nexport const a = saveX\n", true],
    ['src/features/x/x.repository.ts', "import { saveY } from '../y/y.service.ts'\nexport const a = saveY\n", true],
    ['src/features/x/x.repository.ts', "import { draftProblems } from './x.rules.ts'\nexport const a = draftProblems\n", true],
    ['src/features/x/x.repository.ts', "import { validateX } from './x-rules.ts'\nexport const a = validateX\n", true],
    ['src/features/x/x.repository.ts', "import type { Draft } from './x.rules.ts'\nexport type A = Draft\n", false],
    ['src/features/x/x.repository.ts', "import { recordHistory } from '../history/history.ts'\nexport const a = recordHistory\n", true],
    ['src/features/x/x.repository.ts', "import { recordHistory } from '../history/index.ts'\nexport const a = recordHistory\n", true],
    ['src/features/x/x.repository.ts', "import type { ChangeBy } from '../history/index.ts'\nexport type A = ChangeBy\n", false],
    ['src/features/x/x.repository.ts', "import Fastify from 'fastify'\nexport const a = Fastify\n", true],
    ['src/features/x/x.repository.ts', "import { sessionStillOpen } from '../sessions/index.ts'\nexport const a = sessionStillOpen\n", false],
    ['src/features/x/x.service.ts', "import { recordHistory } from '../history/index.ts'\nexport const a = recordHistory\n", false],
    ['src/features/x/x.service.ts', "import { findX } from './x.repository.ts'\nexport const a = findX\n", false],
    ['src/routes/x/probe.ts', "import { findX } from '../../features/x/x.repository.ts'\nexport const a = findX\n", true],
    ['src/routes/probe.ts', "import { saveX } from '../features/x/x.service.ts'\nexport const a = saveX\n", false],
    ['src/routes/probe.ts', "import { sql } from 'kysely'\nexport const a = sql\n", true],
  ]
  for (const [file, code, refused] of cases) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes('no-restricted-imports'), refused, `${file}: ${code.split('\n')[0]} ${refused ? 'refused' : 'allowed'}`)
  }
})

// The code as it is: no repository writes history or imports a service or a rule; no route imports a repository.
t.test('the repositories and routes of src pass the layer rules', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const results = await eslint.lintFiles(['src/features/**/*.repository.ts', 'src/routes/**/*.ts'])
  const hits = results.flatMap((r) =>
    r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${path.relative(root, r.filePath)}: ${m.message}`),
  )
  t.ok(results.length > 20, 'the files are found')
  t.same(hits, [])
})

// Routes tell answers apart by `result.ok` and `result.reason`, never by which property is there.
t.test("no 'x' in result in routes", async (t) => {
  const eslint = new ESLint({ cwd: root })
  const code = "export const f = (result: object) => ('refused' in result ? 1 : 2)\n"
  for (const [file, refused] of [
    ['src/routes/probe.ts', true],
    ['src/routes/x/probe.ts', true],
    ['src/features/x/probe.ts', false],
  ] as const) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes('no-restricted-syntax'), refused, `${file} ${refused ? 'refused' : 'allowed'}`)
  }
  const query = "export const q = (app: any) => app.db.selectFrom('candidate').selectAll().execute()\n"
  t.ok((await rulesHit(eslint, 'src/routes/probe.ts', query)).includes('no-restricted-syntax'), 'queries still refused in routes')
  const results = await eslint.lintFiles(['src/routes/**/*.ts'])
  t.same(
    results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${path.relative(root, r.filePath)}:${m.line}`)),
    [],
    'the routes as they are',
  )
})

// A request never waits for SMTP: routes queue their mail (CONTRIBUTING.md « Mail »).
t.test('no route sends mail at once (sendNow)', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const code = 'export const f = async (app: any, mail: object) => { await app.mail.sendNow(mail) }\n'
  for (const [file, refused] of [
    ['src/routes/probe.ts', true],
    ['src/routes/x/probe.ts', true],
    ['src/plugins/app/probe.ts', false],
  ] as const) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes('no-restricted-syntax'), refused, `${file} ${refused ? 'refused' : 'allowed'}`)
  }
  const enqueue = 'export const f = (app: any, mail: object) => app.mail.enqueue(mail)\n'
  t.notOk((await rulesHit(eslint, 'src/routes/probe.ts', enqueue)).includes('no-restricted-syntax'), 'enqueue is allowed')
  // The files themselves, whatever the linter's configuration becomes.
  const routes = (await readdir(path.join(root, 'src/routes'), { recursive: true })).filter((f) => f.endsWith('.ts'))
  t.ok(routes.length > 10, `${routes.length} route files read`)
  const sending: string[] = []
  for (const file of routes) if ((await readFile(path.join(root, 'src/routes', file), 'utf8')).includes('sendNow')) sending.push(file)
  t.same(sending, [], 'no route file names sendNow')
})

// Issue 13, item 14: every stored or passed instant is written by src/lib/timestamps.ts, nowhere else.
t.test('instants are written by toTimestamp / nowTimestamp only', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const code = 'export const at = (now: Date) => now.toISOString()\n'
  for (const [file, refused] of [
    ['src/features/x/probe.ts', true],
    ['src/routes/probe.ts', true],
    ['src/plugins/app/probe.ts', true],
    ['src/lib/timestamps.ts', false],
    ['test/probe.test.ts', false],
  ] as const) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes('no-restricted-syntax'), refused, `${file}: ${refused ? 'refused' : 'allowed'}`)
  }
  t.ok(
    (await rulesHit(eslint, 'src/routes/probe.ts', "export const q = (app: any) => app.db.selectFrom('candidate')\n")).includes('no-restricted-syntax'),
    'routes keep the query rule beside it',
  )
})

// Comments say why, not which ticket: a future maintainer cannot look an issue number up.
t.test('no issue numbers in the code, views, styles or migrations', async (t) => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs')
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? files(full) : /\.(ts|eta|css|js|mjs)$/.test(name) ? [full] : []
    })
  const found = ['src', 'views', 'public', 'migrations', 'scripts'].flatMap((dir) =>
    files(path.join(root, dir)).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => (/\b[Ii]ssues? \d+/.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
    ),
  )
  t.same(found, [], 'say the reason instead')
})

// One map: a feature meets another only through its index.ts; src/lib imports no feature.
t.test('features import one another only through index.ts; src/lib imports no feature', async (t) => {
  const eslint = new ESLint({ cwd: root })
  const cases: Array<[string, string, boolean]> = [
    ['src/features/x/probe.ts', "import { a } from '../sessions/still-open.ts'\nexport const b = a\n", true],
    ['src/features/x/probe.ts', "import type { A } from '../sessions/sessions.table.ts'\nexport type B = A\n", true],
    ['src/features/x/probe.ts', "export { a } from '../sessions/still-open.ts'\n", true],
    ['src/features/x/probe.ts', "import { a } from '../candidates/ods/import.ts'\nexport const b = a\n", true],
    ['src/features/x/probe.ts', "import { a } from '../candidates/ods/index.ts'\nexport const b = a\n", true],
    ['src/features/x/sub/probe.ts', "import { a } from '../../sessions/still-open.ts'\nexport const b = a\n", true],
    ['src/features/x/probe.ts', "import { a } from '../sessions/index.ts'\nexport const b = a\n", false],
    ['src/features/x/sub/probe.ts', "import { a } from '../../sessions/index.ts'\nexport const b = a\n", false],
    ['src/features/x/probe.ts', "import { a } from './own.ts'\nexport const b = a\n", false],
    ['src/features/x/probe.ts', "import { a } from './sub/own.ts'\nexport const b = a\n", false],
    ['src/features/x/sub/probe.ts', "import { a } from '../own.ts'\nexport const b = a\n", false],
    ['src/features/x/probe.ts', "import { a } from '../../lib/dates.ts'\nexport const b = a\n", false],
    ['src/features/x/sub/probe.ts', "import { a } from '../../../lib/spreadsheet/zip.ts'\nexport const b = a\n", false],
    ['src/features/x/probe.ts', "import Fastify from 'fastify'\nexport const a = Fastify\n", true],
    ['src/routes/x/probe.ts', "import { a } from '../../features/sessions/still-open.ts'\nexport const b = a\n", false],
    ['src/lib/probe.ts', "import { a } from '../features/sessions/index.ts'\nexport const b = a\n", true],
    ['src/lib/x/probe.ts', "import { a } from '../../features/candidates/ods/import.ts'\nexport const b = a\n", true],
    ['src/lib/x/probe.ts', "import { a } from '../dates.ts'\nexport const b = a\n", false],
  ]
  for (const [file, code, refused] of cases) {
    const hits = await rulesHit(eslint, file, code)
    t.equal(hits.includes('no-restricted-imports'), refused, `${file}: ${code.split('\n')[0]} ${refused ? 'refused' : 'allowed'}`)
  }
})
