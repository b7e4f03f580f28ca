import type { Db } from './db/database.ts'
import { findCentreByName } from './features/centres/centres.repository.ts'
import { listCentresWithCounts, listUsersWithCentres, removeUserFromCentre } from './features/team/operator.ts'
import { displayName } from './lib/display-name.ts'

/** An operator command's outcome: the message, and the exit code (0 done, 1 error, 2 refused by a rule). */
export interface CommandResult {
  code: 0 | 1 | 2
  message: string
}

const roleLabel = { admin: 'administrateur', member: 'membre' } as const

export async function listCentresCommand(db: Db): Promise<CommandResult> {
  const centres = await listCentresWithCounts(db)
  if (centres.length === 0) return { code: 0, message: 'Aucun centre. Créez-en un avec create-centre.' }
  const lines = centres.map((c) => `${c.id}\t${c.name}\t${Number(c.members)} membre(s) dont ${Number(c.admins ?? 0)} administrateur(s)`)
  return { code: 0, message: `N°\tCentre\tMembres\n${lines.join('\n')}` }
}

export async function listUsersCommand(db: Db, centreName?: string): Promise<CommandResult> {
  let centreId: number | undefined
  if (centreName !== undefined) {
    const centre = await findCentreByName(db, centreName.trim())
    if (!centre) return { code: 1, message: `Aucun centre ne porte le nom « ${centreName} ».` }
    centreId = centre.id
  }
  const rows = await listUsersWithCentres(db, centreId)
  if (rows.length === 0) return { code: 0, message: 'Aucun utilisateur.' }
  const lines = rows.map((r) => `${r.email}\t${displayName(r)}\t${r.centre ?? '(aucun centre)'}\t${r.role ? roleLabel[r.role] : ''}`.trimEnd())
  return { code: 0, message: `Adresse e-mail\tNom\tCentre\tRôle\n${lines.join('\n')}` }
}

export async function removeUserCommand(db: Db, email: string, centreName: string): Promise<CommandResult> {
  const result = await removeUserFromCentre(db, email, centreName)
  switch (result) {
    case 'removed':
      return { code: 0, message: `${email} a été retiré(e) du centre « ${centreName} » (le compte est conservé).` }
    case 'unknown_centre':
      return { code: 1, message: `Aucun centre ne porte le nom « ${centreName} ».` }
    case 'unknown_user':
      return { code: 1, message: `Aucun compte avec l'adresse ${email}.` }
    case 'not_member':
      return { code: 1, message: `${email} n'est pas membre du centre « ${centreName} ».` }
    case 'last_admin':
      return { code: 2, message: `Refusé : ${email} est le dernier administrateur du centre « ${centreName} ». Nommez d'abord un autre administrateur.` }
  }
}

/** Without --role, the first account of a centre is its administrator (as on the setup page); later ones are members. */
export async function defaultRole(db: Db, centreName: string): Promise<'admin' | 'member'> {
  const centre = await findCentreByName(db, centreName.trim())
  if (!centre) return 'member'
  const admin = await db.selectFrom('membership').select('user_id').where('centre_id', '=', centre.id).where('role', '=', 'admin').executeTakeFirst()
  return admin ? 'member' : 'admin'
}
