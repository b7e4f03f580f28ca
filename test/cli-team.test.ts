import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import t from 'tap'
import { cli } from './lib/cli.ts'

// Issue 12, item 11: list-centres, list-users [--centre], remove-user (refused for the last admin).
t.test('operator commands for centres and users', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-cli-team-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  // Only `migrate` (and the server's start) change the schema; the other commands need it current.
  t.equal((await cli(dataDir, 'migrate')).code, 0)
  const empty = await cli(dataDir, 'list-centres')
  t.equal(empty.code, 0)
  t.match(empty.stdout, /Aucun centre/)

  await cli(dataDir, 'create-centre', '--name', 'Centre Testix')
  await cli(dataDir, 'create-centre', '--name', 'Centre Deux')
  const user = (email: string, centre: string, role: string) => [
    'create-user',
    '--email',
    email,
    '--password',
    'Secret-1234-ab',
    '--first-name',
    'Paul',
    '--last-name',
    'Martin',
    '--centre',
    centre,
    '--role',
    role,
  ]
  t.equal((await cli(dataDir, ...user('admin@example.org', 'Centre Testix', 'admin'))).code, 0, 'create-user keeps working')
  t.equal((await cli(dataDir, ...user('membre@example.org', 'Centre Testix', 'member'))).code, 0)
  t.equal((await cli(dataDir, ...user('membre@example.org', 'Centre Deux', 'admin'))).code, 0)

  await cli(dataDir, 'create-centre', '--name', 'Centre Trois')
  const noRole = (email: string) => [
    'create-user',
    '--email',
    email,
    '--password',
    'Secret-1234-ab',
    '--first-name',
    'Zoé',
    '--last-name',
    'Zed',
    '--centre',
    'Centre Trois',
  ]
  t.match((await cli(dataDir, ...noRole('first@example.org'))).stdout, /\(admin\)/, 'without --role, the first account of a centre is its admin')
  t.match((await cli(dataDir, ...noRole('second@example.org'))).stdout, /\(member\)/, 'the next ones are members')

  const centres = await cli(dataDir, 'list-centres')
  t.equal(centres.code, 0)
  t.match(centres.stdout, /Centre Deux\t1 membre\(s\) dont 1 administrateur\(s\)/)
  t.match(centres.stdout, /Centre Testix\t2 membre\(s\) dont 1 administrateur\(s\)/)

  const all = await cli(dataDir, 'list-users')
  t.equal(all.code, 0)
  t.match(all.stdout, /admin@example\.org\tPaul Martin\tCentre Testix\tadministrateur/)
  t.match(all.stdout, /membre@example\.org\tPaul Martin\tCentre Deux\tadministrateur/)
  t.match(all.stdout, /membre@example\.org\tPaul Martin\tCentre Testix\tmembre/)
  const one = await cli(dataDir, 'list-users', '--centre', 'Centre Deux')
  t.equal(one.code, 0)
  t.notMatch(one.stdout, /admin@example\.org/, 'only that centre')
  const unknownCentre = await cli(dataDir, 'list-users', '--centre', 'Inconnu')
  t.equal(unknownCentre.code, 1)
  t.match(unknownCentre.stderr, /Aucun centre ne porte le nom « Inconnu »/)

  const last = await cli(dataDir, 'remove-user', '--email', 'admin@example.org', '--centre', 'Centre Testix')
  t.equal(last.code, 2, 'refused for the last admin')
  t.match(last.stderr, /dernier administrateur du centre « Centre Testix »/)
  const removed = await cli(dataDir, 'remove-user', '--email', 'membre@example.org', '--centre', 'Centre Testix')
  t.equal(removed.code, 0, removed.stderr)
  t.match(removed.stdout, /retiré\(e\) du centre « Centre Testix »/)
  t.notMatch((await cli(dataDir, 'list-users', '--centre', 'Centre Testix')).stdout, /membre@example\.org/)
  const { createDb } = await import('../src/db/database.ts')
  const { db } = createDb(path.join(dataDir, 'certisalle.sqlite'))
  const entries = await db
    .selectFrom('history')
    .innerJoin('centre', 'centre.id', 'history.centre_id')
    .select(['centre.name', 'action', 'subject', 'actor_kind'])
    .where('centre.name', '=', 'Centre Testix')
    .orderBy('history.id')
    .execute()
  await db.destroy()
  t.same(
    entries.map((e) => `${e.action} ${e.subject} ${e.actor_kind}`),
    ['member_joined Paul Martin operator', 'member_joined Paul Martin operator', 'member_removed Paul Martin operator'],
    'the operator’s changes are in the history',
  )
  for (const [args, message] of [
    [['remove-user', '--email', 'membre@example.org', '--centre', 'Centre Testix'], /n'est pas membre/],
    [['remove-user', '--email', 'personne@example.org', '--centre', 'Centre Testix'], /Aucun compte/],
    [['remove-user', '--email', 'membre@example.org', '--centre', 'Inconnu'], /Aucun centre/],
    [['remove-user', '--email', 'membre@example.org'], /Option manquante : --centre/],
  ] as const) {
    const result = await cli(dataDir, ...args)
    t.equal(result.code, 1, args.join(' '))
    t.match(result.stderr, message)
  }
})
