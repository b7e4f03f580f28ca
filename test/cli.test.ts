import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { createDb } from '../src/db/database.ts'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..')

async function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, PUBLIC_URL: 'http://certif.lycee.test' },
    })
    return { code: 0, stdout, stderr }
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

t.test('operator commands', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-cli-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))

  const centre = await cli(dataDir, 'create-centre', '--name', 'Centre Testix')
  t.equal(centre.code, 0, centre.stderr)
  t.match(centre.stdout, /Centre « Centre Testix » créé/)
  const twice = await cli(dataDir, 'create-centre', '--name', 'Centre Testix')
  t.equal(twice.code, 1)
  t.match(twice.stderr, /existe déjà/)

  const user = ['create-user', '--email', 'paul.martin@example.org', '--password', 'Secret-1234-ab', '--first-name', 'Paul', '--last-name', 'Martin', '--centre', 'Centre Testix', '--role', 'admin']
  const created = await cli(dataDir, ...user)
  t.equal(created.code, 0, created.stderr)
  t.match(created.stdout, /créé et ajouté au centre \(admin\)/)

  await cli(dataDir, 'create-centre', '--name', 'Centre Deux')
  const added = await cli(dataDir, ...user.slice(0, -4), '--centre', 'Centre Deux', '--role', 'member')
  t.equal(added.code, 0)
  t.match(added.stdout, /existait déjà : ajouté au centre \(member\)/)

  for (const [args, message] of [
    [['create-user', '--email', 'x@example.org', '--password', 'court', '--first-name', 'A', '--last-name', 'B', '--centre', 'Centre Testix'], /au moins 12 caractères/],
    [['create-user', '--email', 'pas-un-mail', '--password', 'Secret-1234-ab', '--first-name', 'A', '--last-name', 'B', '--centre', 'Centre Testix'], /adresse e-mail valide/],
    [['create-user', '--email', 'y@example.org', '--password', 'Secret-1234-ab', '--first-name', 'A', '--last-name', 'B', '--centre', 'Inconnu'], /Aucun centre ne porte le nom « Inconnu »/],
    [['create-user', '--email', 'y@example.org', '--password', 'Secret-1234-ab', '--first-name', 'A', '--last-name', 'B', '--centre', 'Centre Testix', '--role', 'chef'], /admin ou member/],
    [['create-user', '--email', 'y@example.org'], /Option manquante : --password/],
    [['create-centre', '--nom', 'x'], /Unknown option|inconnue|nom/],
    [['frobnicate'], /Commande inconnue : frobnicate/],
    [['reset-password', '--email', 'nobody@example.org'], /Aucun compte/],
  ] as const) {
    const result = await cli(dataDir, ...args)
    t.equal(result.code, 1, args.join(' '))
    t.match(result.stderr, message)
  }

  const reset = await cli(dataDir, 'reset-password', '--email', 'paul.martin@example.org')
  t.equal(reset.code, 0)
  t.match(reset.stdout, /http:\/\/certif\.lycee\.test\/mot-de-passe\/nouveau\?jeton=[a-z2-7]{32}/)

  const backupFile = path.join(dataDir, 'copie.sqlite')
  const backup = await cli(dataDir, 'backup', '--to', backupFile)
  t.equal(backup.code, 0, backup.stderr)
  t.ok(existsSync(backupFile))
  const { db, sqlite } = createDb(backupFile)
  t.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok')
  const users = await db.selectFrom('user').select('email').execute()
  t.same(users.map((u) => u.email), ['paul.martin@example.org'], 'the copy holds the data')
  await db.destroy()
  t.equal((await cli(dataDir, 'backup', '--to', backupFile)).code, 1, 'never overwrites')
})
