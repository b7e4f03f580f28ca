/**
 * The codes of the PV d'incident (seed guide, "PV d'incident" page), reused by the finalisation's
 * reports. `label` and `expectedDetails` are message keys of src/i18n/fr/printables.ts: show them
 * with t(code.label). `expectedDetails` is null where the guide's "Détails attendus" cell is empty.
 */
export type IncidentGroup = 'candidate' | 'question' | 'other'

export interface IncidentCode {
  code: string
  label: string
  expectedDetails: string | null
  group: IncidentGroup
}

const entry = (code: string, group: IncidentGroup, hasDetails: boolean): IncidentCode => ({
  code,
  label: `printables.incident.${code}`,
  expectedDetails: hasDetails ? `printables.incident.${code}.details` : null,
  group,
})

export const INCIDENT_CODES: readonly IncidentCode[] = [
  entry('C1', 'candidate', true),
  entry('C2', 'candidate', true),
  entry('C3', 'candidate', true),
  entry('C4', 'candidate', true),
  entry('C5', 'candidate', false),
  entry('C6', 'candidate', true),
  entry('E1', 'question', false),
  entry('E2', 'question', false),
  entry('E3', 'question', false),
  entry('E4', 'question', false),
  entry('E5', 'question', false),
  entry('E6', 'question', false),
  entry('E7', 'question', true),
  entry('A1', 'other', true),
  entry('A2', 'other', true),
]

export const INCIDENT_GROUPS: readonly IncidentGroup[] = ['candidate', 'question', 'other']

/** Title key of a group's table ("Signalements liés au candidat"…). */
export const incidentGroupTitle = (group: IncidentGroup): string => `printables.incident.group.${group}`

export function incidentCodesOf(group: IncidentGroup): IncidentCode[] {
  return INCIDENT_CODES.filter((c) => c.group === group)
}

export function findIncidentCode(code: string): IncidentCode | undefined {
  return INCIDENT_CODES.find((c) => c.code === code)
}
