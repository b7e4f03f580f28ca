import type { Translate } from '../../i18n/index.ts'
import { formatDateShort } from '../../lib/dates.ts'

/** Who approved a candidate's accommodation and when, as stored (either may be missing). */
export interface AccommodationApproval {
  accommodation_approved_by?: string | null
  accommodation_approved_on?: string | null
}

/**
 * "Accordé par Mme Martin le 02/09/2026" (or only one of the two), shown after the extra time or
 * the need on the Candidats tab, the attendance sheet and the invigilator's row; '' when neither
 * was written.
 */
export function approvalText(c: AccommodationApproval, t: Translate): string {
  const by = c.accommodation_approved_by ?? ''
  const on = c.accommodation_approved_on ? formatDateShort(c.accommodation_approved_on) : ''
  if (by && on) return t('candidates.accommodation_approval', { by, on })
  if (by) return t('candidates.accommodation_approval_by', { by })
  if (on) return t('candidates.accommodation_approval_on', { on })
  return ''
}
