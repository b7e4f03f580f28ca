import type * as XLSX from 'xlsx'
import type { Db } from '../../db/database.ts'
import { type MessageKey, t } from '../../i18n/index.ts'
import { loadSheetJS } from '../../lib/lazy-modules.ts'
import type { ChangeBy } from '../history/index.ts'
import { recordPersonalDataAccess } from './access-journal.ts'

type Cell = string | number | null

/** Every value a text or number cell: never a formula, even for text starting with '='. */
function cell(value: Cell): XLSX.CellObject | null {
  if (value === null || value === '') return null
  return typeof value === 'number' ? { t: 'n', v: value } : { t: 's', v: value }
}

function sheet(header: string[], rows: Cell[][]): XLSX.WorkSheet {
  const ws = loadSheetJS().utils.aoa_to_sheet([header.map(cell), ...rows.map((row) => row.map(cell))])
  ws['!cols'] = header.map((h) => ({ wch: Math.max(12, h.length + 2) }))
  return ws
}

export function centreExportFileName(centreName: string, today: string): string {
  const slug = centreName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
  return `certisalle-${slug || 'centre'}-${today}.ods`
}

/**
 * The admin's centre export: one .ods, in French, with every session, candidate,
 * report and history row of the centre, the answer to a "droit d'accès" and the way out of the
 * app. The download is recorded in the history (in the export itself too: its last row).
 */
export async function exportCentre(db: Db, by: ChangeBy): Promise<Buffer> {
  await recordPersonalDataAccess(db, by.centreId, by, 'centreExport')
  const centreId = by.centreId
  const sessions = await db
    .selectFrom('certification_session')
    .selectAll()
    .select((eb) =>
      eb
        .selectFrom('candidate')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('candidate.session_id', '=', 'certification_session.id')
        .as('candidate_count'),
    )
    .where('centre_id', '=', centreId)
    .orderBy('id')
    .execute()
  const candidates = await db
    .selectFrom('candidate')
    .innerJoin('certification_session', 'certification_session.id', 'candidate.session_id')
    .leftJoin('certification_course', 'certification_course.candidate_id', 'candidate.id')
    .selectAll('candidate')
    .select(['certification_course.id as course_id', 'certification_course.joined_at', 'certification_course.ended_at'])
    .where('certification_session.centre_id', '=', centreId)
    .orderBy('candidate.session_id')
    .orderBy('candidate.id')
    .execute()
  const reports = await db
    .selectFrom('report')
    .innerJoin('certification_session', 'certification_session.id', 'report.session_id')
    .innerJoin('candidate', 'candidate.id', 'report.candidate_id')
    .select(['report.session_id', 'report.candidate_id', 'candidate.first_name', 'candidate.last_name', 'candidate.erased_at'])
    .select(['report.code', 'report.question_number', 'report.details', 'report.source', 'report.recorded_at', 'report.created_at'])
    .where('certification_session.centre_id', '=', centreId)
    .orderBy('report.session_id')
    .orderBy('report.id')
    .execute()
  const history = await db.selectFrom('history').selectAll().where('centre_id', '=', centreId).orderBy('id').execute()

  const erased = t('privacy.erased_candidate')
  const utils = loadSheetJS().utils
  const wb = utils.book_new()
  utils.book_append_sheet(
    wb,
    sheet(
      [
        'N° de session',
        'Site',
        'Salle',
        'Date',
        'Heure',
        'Durée (min)',
        'Surveillants',
        'Observations',
        'Commentaire global',
        'Candidats',
        'Créée le',
        'Finalisée le',
        'Conservée depuis',
        'Données effacées le',
      ],
      sessions.map((s) => [
        s.id,
        s.site_name,
        s.room,
        s.date,
        s.start_time,
        s.test_duration_minutes,
        s.invigilators,
        s.observations,
        s.global_comment,
        Number(s.candidate_count ?? 0),
        s.created_at,
        s.finalised_at,
        s.retention_hold_at,
        s.personal_data_erased_at,
      ]),
    ),
    'Sessions',
  )
  utils.book_append_sheet(
    wb,
    sheet(
      [
        'N° de session',
        'N° du candidat',
        'Nom',
        'Prénom',
        'Date de naissance',
        'Commune de naissance',
        'Département de naissance',
        'Pays de naissance',
        'E-mail',
        'Identifiant externe',
        'Temps majoré (%)',
        'Aménagement',
        'Précision',
        'Aménagement accordé par',
        'Accordé le',
        'Langue de la convocation',
        'N° de certification',
        'Début',
        'Fin',
        'Effacé le',
      ],
      candidates.map((c) => [
        c.session_id,
        c.id,
        c.erased_at ? erased : c.last_name,
        c.first_name,
        c.birthdate,
        c.birth_city,
        c.birth_department_code,
        c.birth_country,
        c.email,
        c.external_id,
        c.extra_time_percentage,
        c.accessibility_needed ? 'oui' : '',
        c.accessibility_note,
        c.accommodation_approved_by,
        c.accommodation_approved_on,
        c.convocation_language,
        c.course_id,
        c.joined_at,
        c.ended_at,
        c.erased_at,
      ]),
    ),
    'Candidats',
  )
  utils.book_append_sheet(
    wb,
    sheet(
      ['N° de session', 'N° du candidat', 'Candidat', 'Code', 'Question', 'Détails', 'Origine', 'Date'],
      reports.map((r) => [
        r.session_id,
        r.candidate_id,
        r.erased_at ? erased : `${r.first_name} ${r.last_name}`,
        r.code,
        r.question_number,
        r.details,
        r.source === 'invigilator' ? 'Espace surveillant' : 'Finalisation',
        r.recorded_at ?? r.created_at,
      ]),
    ),
    'Signalements',
  )
  utils.book_append_sheet(
    wb,
    sheet(
      ['Date', 'Par', 'Modification', 'N° de session'],
      history.map((h) => [
        h.created_at,
        h.actor_name,
        t(`history.action.${h.action}` as MessageKey, { subject: h.subject ?? t('privacy.erased_name'), count: h.count ?? 0 }),
        h.session_id,
      ]),
    ),
    'Historique',
  )
  return loadSheetJS().write(wb, { bookType: 'ods', type: 'buffer', compression: true }) as Buffer
}
