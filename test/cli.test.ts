import { promises as fs, mkdtempSync, rmSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { FileMigrationProvider, Migrator } from 'kysely'
import t from 'tap'
import { cli } from './lib/cli.ts'

const root = path.resolve(import.meta.dirname, '..')
import { createDb } from '../src/db/database.ts'

t.test('operator commands', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-cli-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))

  const early = await cli(dataDir, 'create-centre', '--name', 'Centre Testix')
  t.equal(early.code, 1, 'the commands that write need the schema to be current')
  t.match(early.stderr, /pas à jour .*npm run db:migrate/)
  const migrated = await cli(dataDir, 'migrate')
  t.equal(migrated.code, 0, migrated.stderr)
  t.match(migrated.stdout, /Base de données à jour/)
  t.equal(statSync(dataDir).mode & 0o777, 0o700, 'DATA_DIR is private')
  t.equal(statSync(path.join(dataDir, 'certisalle.sqlite')).mode & 0o777, 0o600, 'the database file is private')

  const centre = await cli(dataDir, 'create-centre', '--name', 'Centre Testix')
  t.equal(centre.code, 0, centre.stderr)
  t.match(centre.stdout, /Centre « Centre Testix » créé/)
  const twice = await cli(dataDir, 'create-centre', '--name', 'Centre Testix')
  t.equal(twice.code, 1)
  t.match(twice.stderr, /existe déjà/)

  const user = [
    'create-user',
    '--email',
    'paul.martin@example.org',
    '--password',
    'Secret-1234-ab',
    '--first-name',
    'Paul',
    '--last-name',
    'Martin',
    '--centre',
    'Centre Testix',
    '--role',
    'admin',
  ]
  const created = await cli(dataDir, ...user)
  t.equal(created.code, 0, created.stderr)
  t.match(created.stdout, /créé et ajouté au centre \(admin\)/)

  await cli(dataDir, 'create-centre', '--name', 'Centre Deux')
  const added = await cli(dataDir, ...user.slice(0, -4), '--centre', 'Centre Deux', '--role', 'member')
  t.equal(added.code, 0)
  t.match(added.stdout, /existait déjà : ajouté au centre \(member\)/)

  for (const [args, message] of [
    [
      ['create-user', '--email', 'x@example.org', '--password', 'court', '--first-name', 'A', '--last-name', 'B', '--centre', 'Centre Testix'],
      /au moins 12 caractères/,
    ],
    [
      ['create-user', '--email', 'pas-un-mail', '--password', 'Secret-1234-ab', '--first-name', 'A', '--last-name', 'B', '--centre', 'Centre Testix'],
      /adresse e-mail valide/,
    ],
    [
      ['create-user', '--email', 'y@example.org', '--password', 'Secret-1234-ab', '--first-name', 'A', '--last-name', 'B', '--centre', 'Inconnu'],
      /Aucun centre ne porte le nom « Inconnu »/,
    ],
    [
      [
        'create-user',
        '--email',
        'y@example.org',
        '--password',
        'Secret-1234-ab',
        '--first-name',
        'A',
        '--last-name',
        'B',
        '--centre',
        'Centre Testix',
        '--role',
        'chef',
      ],
      /admin ou member/,
    ],
    [
      [
        'create-user',
        '--email',
        'z@example.org',
        '--password',
        'Secret-1234-ab',
        '--first-name',
        'Alice\u202e',
        '--last-name',
        'B',
        '--centre',
        'Centre Testix',
      ],
      /caractère de contrôle invisible \(U\+202E\)/,
    ],
    [
      ['create-user', '--email', 'z@example.org', '--password', 'Secret-1234-ab', '--first-name', 'A', '--last-name', 'B\nC', '--centre', 'Centre Testix'],
      /caractère de contrôle invisible \(U\+000A\)/,
    ],
    [['create-centre', '--name', 'Centre\nFaux'], /caractère de contrôle invisible \(U\+000A\)/],
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
  t.notMatch(reset.stdout, /PUBLIC_URL/, 'PUBLIC_URL set: the link alone')
  // Issue 26: without PUBLIC_URL the operator is told the link's address is this machine's.
  const local = await cli({ DATA_DIR: dataDir, PUBLIC_URL: '' }, 'reset-password', '--email', 'paul.martin@example.org')
  t.equal(local.code, 0, local.stderr)
  t.match(local.stdout, /PUBLIC_URL n'est pas réglé : remplacez http:\/\/localhost:3000 par l'adresse de Certisalle sur votre réseau\./)

  const backupFile = path.join(dataDir, 'copie.sqlite')
  const backup = await cli(dataDir, 'backup', '--to', backupFile)
  t.equal(backup.code, 0, backup.stderr)
  t.ok(existsSync(backupFile))
  t.equal(statSync(backupFile).mode & 0o777, 0o600, 'the backup is readable by this account only')
  const { db, sqlite } = createDb(backupFile)
  t.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok')
  const users = await db.selectFrom('user').select('email').execute()
  t.same(
    users.map((u) => u.email),
    ['paul.martin@example.org'],
    'the copy holds the data',
  )
  await db.destroy()
  t.equal((await cli(dataDir, 'backup', '--to', backupFile)).code, 1, 'never overwrites')
})

// Issue 13, item 3: a nightly backup after a code update must not migrate the live database under the old server.
t.test('backup never migrates nor creates anything; the other commands never migrate either', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-cli-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const databaseFile = path.join(dataDir, 'certisalle.sqlite')

  const nothing = await cli(dataDir, 'backup', '--to', path.join(dataDir, 'rien.sqlite'))
  t.equal(nothing.code, 1)
  t.match(nothing.stderr, /Aucune base de données à sauvegarder/)
  t.notOk(existsSync(databaseFile), 'no empty database was created')
  t.notOk(existsSync(path.join(dataDir, 'rien.sqlite')))

  // A database as an older version left it: only the first migration applied.
  const { db } = createDb(databaseFile)
  const migrationFolder = path.join(root, 'migrations')
  const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder }) })
  const all = await migrator.getMigrations()
  t.ok(all.length > 1)
  await migrator.migrateTo(all[0]!.name)
  const applied = async () => (await migrator.getMigrations()).filter((m) => m.executedAt).length
  t.equal(await applied(), 1)

  const backupFile = path.join(dataDir, 'avant-mise-a-jour.sqlite')
  const backup = await cli(dataDir, 'backup', '--to', backupFile)
  t.equal(backup.code, 0, backup.stderr)
  t.equal(await applied(), 1, 'the live database is still at its old schema')
  const copy = createDb(backupFile)
  const copied = await copy.db
    .selectFrom('kysely_migration' as never)
    .select('name' as never)
    .execute()
  t.equal(copied.length, 1, 'the backup is the database before the upgrade')
  await copy.db.destroy()

  const refused = await cli(dataDir, 'reset-password', '--email', 'x@example.org')
  t.equal(refused.code, 1)
  t.match(refused.stderr, /1 migration|migration\(s\) en attente/)
  t.equal(await applied(), 1, 'nor did reset-password migrate')
  await db.destroy()
})

t.test('a bad setting stops the command with one line naming it', async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-cli-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const result = await cli({ DATA_DIR: dataDir, RATE_LIMIT_MAX: '' }, 'migrate')
  t.equal(result.code, 1)
  t.equal(result.stderr.trim(), 'Réglage invalide : RATE_LIMIT_MAX="" — attendu : un nombre d’essais entier, au moins 1')
  t.notOk(existsSync(path.join(dataDir, 'certisalle.sqlite')), 'nothing was done')
})
