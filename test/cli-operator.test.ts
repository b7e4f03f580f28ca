import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { createDb } from '../src/db/database.ts'
import { cli } from './lib/cli.ts'

// Issue 30: `npm run cli -- create-user … --operator` makes an account that may use /exploitation, member of no centre.
t.test('create-user --operator: an operator account, in no centre; an existing account keeps its password', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-cli-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  t.equal((await cli(dataDir, 'migrate')).code, 0)
  const account = ['--email', 'DSI@ac-test.fr', '--password', 'Secret-1234-abcd', '--first-name', 'Dora', '--last-name', 'Dsi']
  const created = await cli(dataDir, 'create-user', ...account, '--operator')
  t.equal(created.code, 0, created.stderr)
  t.match(created.stdout, /Utilisateur DSI@ac-test.fr créé, chargé de l'exploitation/)
  const again = await cli(dataDir, 'create-user', ...account, '--operator')
  t.match(again.stdout, /existait déjà : chargé de l'exploitation, mot de passe inchangé/)

  const { db } = createDb(path.join(dataDir, 'certisalle.sqlite'))
  t.teardown(() => db.destroy())
  const user = await db.selectFrom('user').select(['id', 'operator_since']).where('email', '=', 'dsi@ac-test.fr').executeTakeFirstOrThrow()
  t.ok(user.operator_since, 'marked operator')
  t.same(await db.selectFrom('membership').select('centre_id').where('user_id', '=', user.id).execute(), [], 'member of no centre')
  const plain = await cli(dataDir, 'create-user', '--email', 'x@ac-test.fr', '--password', 'Secret-1234-abcd', '--first-name', 'X', '--last-name', 'Y')
  t.equal(plain.code, 1, 'without --operator, a centre is still required')
  t.match(plain.stderr, /Option manquante : --centre/)
})
