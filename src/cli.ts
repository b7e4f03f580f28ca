import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { type Config, ConfigError, loadConfig } from './config.ts'
import { prepareDataDir } from './data-dir.ts'
import { purgePersonalData } from './features/privacy/retention.ts'
import { backupSqlite, CLI_BUSY_TIMEOUT_MS, type Db, createDb, createPostgresDb, databaseTarget, openDatabase, openSqliteReadOnly } from './db/database.ts'
import { CopyRefused, copyToPostgres } from './db/copy.ts'
import { migrateToLatest, pendingMigrations } from './db/migrate.ts'
import { moveUploadsIntoDatabase } from './features/finalisation/document-storage.ts'
import { addUserToCentre, checkPassword, createPasswordReset, isValidEmail } from './features/accounts/accounts.service.ts'
import { validateName } from './features/accounts/my-account.ts'
import { findCentreByName, insertCentre } from './features/centres/centres.repository.ts'
import { t } from './i18n/index.ts'
import { singleLineCharacter } from './lib/text.ts'
import { type CommandResult, defaultRole, listCentresCommand, listUsersCommand, removeUserCommand } from './cli-team.ts'
import { createOperator } from './features/operations/operations.service.ts'

/** Operator commands for the school's IT person (and for tests). Exit code 0 on success. */
const usage = `Usage : npm run cli -- <commande> [options]

  create-centre --name "Centre Testix"
  create-user --email E --password P --first-name F --last-name L --centre "Centre Testix" --role admin|member
                                    (sans --role : admin pour le premier compte du centre, member ensuite)
  create-user --email E --password P --first-name F --last-name L --operator
                                    compte chargé de l'exploitation (/exploitation : créer et gérer les centres)
  reset-password --email E          affiche un lien de réinitialisation (valable 1 heure)
  list-centres                      liste les centres et leur nombre de membres
  list-users [--centre NOM]         liste les comptes et leurs centres
  remove-user --email E --centre NOM  retire un compte d'un centre (refusé pour le dernier administrateur)
  backup --to FICHIER               copie cohérente de la base en cours d'utilisation (lecture seule)
  migrate                           met la base à jour (fait aussi au démarrage du serveur)
  copy-to-postgres --to postgres://…  copie la base SQLite (tout, documents compris) dans une base PostgreSQL vide
  purge [--dry-run]                 efface les données personnelles des sessions finalisées depuis RETENTION_MONTHS mois
                                    (sauf celles à conserver), et les invitations et accès expirés ; --dry-run : liste sans effacer`

class UsageError extends Error {}
/** A command that ran but was refused by a rule (exit code 2), e.g. removing the last administrator. */
class RefusedError extends Error {}

/** Turns a command's result into the message printed, or the error that sets the exit code. */
function outcome(result: CommandResult): string {
  if (result.code === 1) throw new UsageError(result.message)
  if (result.code === 2) throw new RefusedError(result.message)
  return result.message
}

function required(values: Record<string, string | boolean | undefined>, name: string): string {
  const raw = values[name]
  const value = typeof raw === 'string' ? raw.trim() : ''
  if (!value) throw new UsageError(`Option manquante : --${name}`)
  return value
}

async function main(argv: string[]): Promise<string> {
  const [command, ...rest] = argv
  const {
    values: { operator, ...values },
  } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      'first-name': { type: 'string' },
      'last-name': { type: 'string' },
      centre: { type: 'string' },
      role: { type: 'string' },
      to: { type: 'string' },
      operator: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    },
    strict: true,
  })
  if (existsSync('.env')) process.loadEnvFile('.env')
  const config = loadConfig()
  // A backup only reads: it neither migrates nor creates anything in DATA_DIR, so a nightly backup
  // after a code update copies the database as the running (older) server left it.
  if (command === 'backup') return backup(config, required(values, 'to'))
  if (command === 'copy-to-postgres') return copy(config, required(values, 'to'))
  for (const warning of prepareDataDir(config).warnings) console.error(`Attention : ${warning}`)
  const { db } = openDatabase(databaseTarget(config), { busyTimeoutMs: CLI_BUSY_TIMEOUT_MS })
  try {
    // Only `migrate` (and the server's start) change the schema; the other commands need it current.
    if (command === 'migrate') {
      await migrateToLatest(db)
      const { moved, orphans } = await moveUploadsIntoDatabase(db, config.uploadsDir)
      return `Base de données à jour.${moved || orphans ? ` Documents déplacés dans la base : ${moved} ; fichiers orphelins supprimés : ${orphans}.` : ''}`
    }
    const pending = await pendingMigrations(db)
    if (pending.length > 0) {
      throw new UsageError(
        `La base de données n'est pas à jour (${pending.length} migration(s) en attente) : lancez d'abord npm run db:migrate, ou démarrez le serveur.`,
      )
    }
    switch (command) {
      case 'create-centre': {
        const name = required(values, 'name')
        if (name.length > 255) throw new UsageError('Le nom du centre ne doit pas dépasser 255 caractères.')
        // One line, as on the setup form (it is quoted in every invitation and convocation).
        const char = singleLineCharacter(name)
        if (char) throw new UsageError(t('form.control_character', { char }))
        if (await findCentreByName(db, name)) throw new UsageError(`Le centre « ${name} » existe déjà.`)
        const id = await insertCentre(db, name)
        return `Centre « ${name} » créé (n° ${id}).`
      }
      case 'create-user': {
        const email = required(values, 'email')
        if (!isValidEmail(email)) throw new UsageError(t('accounts.email.invalid'))
        const password = required(values, 'password')
        const problem = checkPassword(password)
        if (problem) throw new UsageError(t(problem))
        if (operator && !values.centre) {
          const account = { email, password, firstName: required(values, 'first-name'), lastName: required(values, 'last-name') }
          const { created } = await createOperator(db, account)
          return created
            ? `Utilisateur ${email} créé, chargé de l'exploitation (${config.publicUrl}/exploitation).`
            : `L'utilisateur ${email} existait déjà : chargé de l'exploitation, mot de passe inchangé.`
        }
        if (operator) await createOperator(db, { email, password, firstName: required(values, 'first-name'), lastName: required(values, 'last-name') })
        const role = values.role ?? (await defaultRole(db, required(values, 'centre')))
        if (role !== 'admin' && role !== 'member') throw new UsageError('--role doit valoir admin ou member.')
        const account = { email, password, firstName: required(values, 'first-name'), lastName: required(values, 'last-name') }
        // The one rule for a person's name, as on every form.
        const nameProblem = Object.values(validateName(account))[0]
        if (nameProblem) throw new UsageError(t(nameProblem))
        const result = await addUserToCentre(db, account, required(values, 'centre'), role)
        if ('error' in result) throw new UsageError(t(result.error!))
        return result.created
          ? `Utilisateur ${email} créé et ajouté au centre (${role}).`
          : `L'utilisateur ${email} existait déjà : ajouté au centre (${role}), mot de passe inchangé.`
      }
      case 'reset-password': {
        const email = required(values, 'email')
        const reset = await createPasswordReset(db, email)
        if (!reset) throw new UsageError(`Aucun compte avec l'adresse ${email}.`)
        const link = `Lien de réinitialisation (valable 1 heure, à usage unique) :\n${config.publicUrl}/mot-de-passe/nouveau?jeton=${reset.token}`
        // Without PUBLIC_URL the CLI knows no address but its own.
        return config.publicUrlSet
          ? link
          : `${link}\n(PUBLIC_URL n'est pas réglé : remplacez ${config.publicUrl} par l'adresse de Certisalle sur votre réseau.)`
      }
      case 'list-centres':
        return outcome(await listCentresCommand(db))
      case 'list-users':
        return outcome(await listUsersCommand(db, values.centre))
      case 'purge':
        return await purgeCommand(db, config.retentionMonths, values['dry-run'] === true)
      case 'remove-user':
        return outcome(await removeUserCommand(db, required(values, 'email'), required(values, 'centre')))
      default:
        throw new UsageError(command ? `Commande inconnue : ${command}` : 'Aucune commande indiquée.')
    }
  } finally {
    await db.destroy()
  }
}

async function purgeCommand(db: Db, months: number, dryRun: boolean): Promise<string> {
  const result = await purgePersonalData(db, { months, dryRun })
  const lines = result.sessions.map((s) => `  session ${s.id} (centre ${s.centreId}), finalisée le ${s.finalisedAt.slice(0, 10)} : ${s.candidates} candidat(s)`)
  if (dryRun) {
    return [`Durée de conservation : ${months} mois. Simulation, rien n'est effacé.`, `Sessions à effacer : ${result.sessions.length}`, ...lines].join('\n')
  }
  return [
    `Durée de conservation : ${months} mois.`,
    `Sessions effacées : ${result.sessions.length}`,
    ...lines,
    `Invitations expirées supprimées : ${result.invitations} ; accès surveillant expirés : ${result.invigilatorAccesses} ; imports non confirmés : ${result.batchPlans}.`,
  ].join('\n')
}

async function copy(config: Config, to: string): Promise<string> {
  if (config.database.kind === 'postgres') throw new UsageError('La source est la base SQLite de DATA_DIR : lancez la commande sans DATABASE_URL.')
  if (!/^postgres(ql)?:\/\//.test(to)) throw new UsageError('--to attend une adresse postgres://utilisateur:mot-de-passe@serveur:5432/base')
  if (!existsSync(config.databaseFile)) throw new UsageError(`Aucune base de données à copier : ${config.databaseFile} n'existe pas (vérifiez DATA_DIR).`)
  const source = createDb(config.databaseFile, { busyTimeoutMs: CLI_BUSY_TIMEOUT_MS }).db
  const target = createPostgresDb(to, { poolSize: 2, statementTimeoutMs: 600_000 }).db
  try {
    const counts = await copyToPostgres(source, target)
    const width = Math.max(...counts.map((c) => c.table.length))
    return ['Copie terminée :', ...counts.map((c) => `  ${c.table.padEnd(width)}  ${c.rows}`)].join('\n')
  } catch (error) {
    if (error instanceof CopyRefused) throw new RefusedError(error.message)
    throw error
  } finally {
    await source.destroy()
    await target.destroy()
  }
}

async function backup(config: Config, to: string): Promise<string> {
  if (config.database.kind === 'postgres') throw new UsageError('Avec PostgreSQL (DATABASE_URL), sauvegardez la base avec pg_dump (docs/operations.md).')
  if (existsSync(to)) throw new UsageError(`Le fichier ${to} existe déjà : choisissez un autre nom.`)
  if (!existsSync(config.databaseFile)) throw new UsageError(`Aucune base de données à sauvegarder : ${config.databaseFile} n'existe pas (vérifiez DATA_DIR).`)
  const sqlite = openSqliteReadOnly(config.databaseFile)
  try {
    await backupSqlite(sqlite, to)
  } finally {
    sqlite.close()
  }
  return `Sauvegarde écrite dans ${to}.`
}

// Files this command creates (the database, a backup) are for this account only.
process.umask(0o077)
main(process.argv.slice(2)).then(
  (message) => {
    console.log(message)
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      console.error(err.message)
    } else if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`Erreur : ${err.message}\n\n${usage}`)
    } else if (err instanceof RefusedError) {
      console.error(`Erreur : ${err.message}`)
      process.exitCode = 2
      return
    } else {
      console.error(err)
    }
    process.exitCode = 1
  },
)
