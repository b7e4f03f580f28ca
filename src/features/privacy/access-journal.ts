import type { Db } from '../../db/database.ts'
import { sessionWriteTransaction, type Trx, writeTransaction } from '../../db/transaction.ts'
import { type ChangeBy, recordHistory } from '../history/index.ts'

/** The documents with candidates' personal data whose printing or download is recorded, by their name in the app. */
export const PERSONAL_DATA_DOCUMENTS = {
  kit: 'Kit surveillant',
  sheet: 'Feuille d’émargement',
  sheetOds: 'Feuille d’émargement (.ods)',
  incidentReport: 'PV d’incident',
  convocations: 'Convocations',
  summary: 'Récapitulatif de finalisation',
  centreExport: 'Export du centre (.ods)',
} as const
export type PersonalDataDocument = keyof typeof PERSONAL_DATA_DOCUMENTS

/** The same name as an invigilator access has in the history (supervision.repository.ts). */
const INVIGILATOR_ACCESS: ChangeBy['actor'] = { kind: 'invigilator', userId: null, name: 'Surveillant (mot de passe de session)' }

/**
 * The access journal: who printed or downloaded a document with candidates' personal data, in the
 * centre's history (the read itself changes nothing; this entry is its trace). `by` null: an
 * invigilator access of the session (the kit).
 */
export async function recordPersonalDataAccess(
  db: Db,
  centreId: number,
  by: ChangeBy | null,
  document: PersonalDataDocument,
  options: { sessionId?: number; count?: number } = {},
): Promise<void> {
  const entry = (trx: Trx) =>
    recordHistory(trx, {
      centreId,
      actor: by?.actor ?? INVIGILATOR_ACCESS,
      action: document === 'centreExport' || document === 'sheetOds' ? 'personal_data_exported' : 'personal_data_printed',
      sessionId: options.sessionId ?? null,
      subject: PERSONAL_DATA_DOCUMENTS[document],
      count: options.count ?? null,
    })
  // One history line: a document of one session is that session's write (convocations printed on
  // exam day neither wait for another room's writes nor make them wait).
  if (options.sessionId === undefined) await writeTransaction(db, entry)
  else await sessionWriteTransaction(db, options.sessionId, entry)
}
