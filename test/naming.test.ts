import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import t from 'tap'

const root = path.resolve(import.meta.dirname, '..')

// A candidate joins at /rejoindre (arrived, then waiting), and their test *starts* when the
// invigilator lets them in (a certification course). The code names that second fact "started".
// Kept on purpose: the column certification_course.joined_at (renaming it is a migration on both
// databases), the cookie's name certisalle_joined (a candidate's cookie in flight stays valid), and
// member_joined (a member does join a centre).
const KEPT = new Set(['joined_at', 'member_joined', 'certisalle_joined'])

t.test('"started", not "joined", in the names of the code and views', async (t) => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name)
      return statSync(full).isDirectory() ? files(full) : /\.(ts|eta)$/.test(name) ? [full] : []
    })
  const found = ['src', 'views'].flatMap((dir) =>
    files(path.join(root, dir)).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\b\w*(?:[a-z_.]Joined|[Jj]oined[A-Z_]|JOINED)\w*\b/g)]
        .map(([name]) => name)
        .filter((name) => !KEPT.has(name))
        .map((name) => `${path.relative(root, file)}: ${name}`),
    ),
  )
  t.same(found, [], 'hasStarted, countStartedCandidates, StartedCandidate…')
})
