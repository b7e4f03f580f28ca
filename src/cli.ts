import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadConfig } from './config.ts'
import { backupSqlite, CLI_BUSY_TIMEOUT_MS, createDb } from './db/database.ts'
import { migrateToLatest } from './db/migrate.ts'
import { addUserToCentre, checkPassword, createPasswordReset, isValidEmail } from './features/accounts/accounts.service.ts'
import { findCentreByName, insertCentre } from './features/centres/centres.repository.ts'
import { t } from './i18n/index.ts'

/** Operator commands for the school's IT person (and for tests). Exit code 0 on success. */
const usage = `Usage : npm run cli -- <commande> [options]

  create-centre --name "Centre Testix"
  create-user --email E --password P --first-name F --last-name L --centre "Centre Testix" --role admin|member
  reset-password --email E          affiche un lien de réinitialisation (valable 1 heure)
  backup --to FICHIER               copie cohérente de la base en cours d'utilisation
  migrate                           met la base à jour (fait aussi au démarrage)`

class UsageError extends Error {}

function required(values: Record<string, string | undefined>, name: string): string {
  const value = values[name]?.trim()
  if (!value) throw new UsageError(`Option manquante : --${name}`)
  return value
}

async function main(argv: string[]): Promise<string> {
  const [command, ...rest] = argv
  const { values } = parseArgs({
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
    },
    strict: true,
  })
  if (existsSync('.env')) process.loadEnvFile('.env')
  const config = loadConfig()
  const { db, sqlite } = createDb(config.databaseFile, { busyTimeoutMs: CLI_BUSY_TIMEOUT_MS })
  try {
    await migrateToLatest(db)
    switch (command) {
      case 'migrate':
        return 'Base de données à jour.'
      case 'create-centre': {
        const name = required(values, 'name')
        if (name.length > 255) throw new UsageError('Le nom du centre ne doit pas dépasser 255 caractères.')
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
        const role = values.role ?? 'member'
        if (role !== 'admin' && role !== 'member') throw new UsageError('--role doit valoir admin ou member.')
        const account = { email, password, firstName: required(values, 'first-name'), lastName: required(values, 'last-name') }
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
        return `Lien de réinitialisation (valable 1 heure, à usage unique) :\n${config.publicUrl}/mot-de-passe/nouveau?jeton=${reset.token}`
      }
      case 'backup': {
        const to = required(values, 'to')
        if (existsSync(to)) throw new UsageError(`Le fichier ${to} existe déjà : choisissez un autre nom.`)
        await backupSqlite(sqlite, to)
        return `Sauvegarde écrite dans ${to}.`
      }
      default:
        throw new UsageError(command ? `Commande inconnue : ${command}` : 'Aucune commande indiquée.')
    }
  } finally {
    await db.destroy()
  }
}

main(process.argv.slice(2)).then(
  (message) => {
    console.log(message)
  },
  (err: unknown) => {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`Erreur : ${err.message}\n\n${usage}`)
    } else {
      console.error(err)
    }
    process.exitCode = 1
  },
)
