import { hasMessage, type MessageKey, type Params, translate } from '../../i18n/index.ts'
import { addMinutes, formatDateInWords } from '../../lib/dates.ts'
import { extraMinutes } from '../supervision/index.ts'
import type { ConvocationLanguage } from '../candidates/index.ts'

/** Candidates are asked to come this long before the start (identity check, signature). */
export const ARRIVAL_MINUTES_BEFORE = 15
/** The "Consignes aux candidats" of a centre. */
export const MAX_INSTRUCTIONS_LENGTH = 2000

export interface ConvocationSession {
  id: number
  date: string
  start_time: string
  site_name: string
  room: string
  test_duration_minutes: number
}
export interface ConvocationCandidate {
  id: number
  first_name: string
  last_name: string
  extra_time_percentage: number | null
  convocation_language: ConvocationLanguage
}

/** One convocation, every text already in the candidate's language: the print view and the e-mail show the same. */
export interface ConvocationContent {
  language: ConvocationLanguage
  candidateId: number
  title: string
  subtitle: string
  greeting: string
  intro: string
  facts: Array<{ label: string; value: string }>
  bringTitle: string
  bring: string
  instructionsTitle: string
  instructions: string[]
  stepsTitle: string
  steps: string[]
  joinUrl: string
  footer: string
  subject: string
}

/** A translator for one language; a key not (yet) in that catalog shows in French. */
export function translatorFor(language: ConvocationLanguage) {
  return (key: MessageKey, params?: Params) => translate(language !== 'fr' && hasMessage(key, language) ? language : 'fr', key, params)
}

/** '1 h 45', '2 h', '45 min'. */
function formatDuration(minutes: number, tr: ReturnType<typeof translatorFor>): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return tr('convocations.doc.minutes', { m })
  if (m === 0) return tr('convocations.doc.hours', { h })
  return tr('convocations.doc.hours_minutes', { h, m: String(m).padStart(2, '0') })
}

/** What a change of these means for a convocation already sent: "à renvoyer". */
export function sessionKey(session: Pick<ConvocationSession, 'date' | 'start_time' | 'site_name' | 'room'>): string {
  return JSON.stringify([session.date, session.start_time, session.site_name, session.room])
}

/**
 * The convocation of one candidate: who, when (date in words, start, arrival), where (site, room),
 * how long (with the candidate's extra time), what to bring (an identity document and the
 * centre's instructions, or the default ones), and how to join on the day.
 */
export function convocationContent(input: {
  centreName: string
  instructions: string | null
  session: ConvocationSession
  candidate: ConvocationCandidate
  publicUrl: string
}): ConvocationContent {
  const { session, candidate } = input
  const language = candidate.convocation_language === 'en' ? 'en' : 'fr'
  const tr = translatorFor(language)
  const duration = session.test_duration_minutes + extraMinutes(session.test_duration_minutes, candidate.extra_time_percentage)
  const durationText = candidate.extra_time_percentage
    ? tr('convocations.doc.duration_extra', { duration: formatDuration(duration, tr), percent: candidate.extra_time_percentage })
    : tr('convocations.doc.duration_value', { duration: formatDuration(duration, tr) })
  const arrival = addMinutes(session.start_time, -ARRIVAL_MINUTES_BEFORE)
  const joinUrl = `${input.publicUrl}/rejoindre`
  const date = formatDateInWords(session.date, language)
  const instructions = (input.instructions?.trim() ? input.instructions : tr('convocations.instructions.default'))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
  return {
    language,
    candidateId: candidate.id,
    title: tr('convocations.doc.title'),
    subtitle: tr('convocations.doc.subtitle', { id: session.id }),
    greeting: tr('convocations.doc.greeting', { name: `${candidate.first_name} ${candidate.last_name}` }),
    intro: tr('convocations.doc.intro', { centre: input.centreName }),
    facts: [
      { label: tr('convocations.doc.session_number'), value: String(session.id) },
      { label: tr('convocations.doc.date'), value: date },
      { label: tr('convocations.doc.start'), value: session.start_time },
      { label: tr('convocations.doc.arrival'), value: tr('convocations.doc.arrival_value', { time: arrival, minutes: ARRIVAL_MINUTES_BEFORE }) },
      { label: tr('convocations.doc.site'), value: session.site_name },
      { label: tr('convocations.doc.room'), value: session.room },
      { label: tr('convocations.doc.duration'), value: durationText },
    ],
    bringTitle: tr('convocations.doc.bring_title'),
    bring: tr('convocations.doc.bring_identity'),
    instructionsTitle: tr('convocations.doc.instructions_title'),
    instructions,
    stepsTitle: tr('convocations.doc.steps_title'),
    steps: [
      tr('convocations.doc.step_1', { room: session.room }),
      tr('convocations.doc.step_2', { url: joinUrl }),
      tr('convocations.doc.step_3', { id: session.id }),
      tr('convocations.doc.step_4'),
      tr('convocations.doc.step_5'),
    ],
    joinUrl,
    footer: tr('convocations.doc.footer', { centre: input.centreName }),
    subject: tr('convocations.mail.subject', { id: session.id, date }),
  }
}

/** The e-mail's plain text: the same content as the printed page. */
export function convocationText(c: ConvocationContent): string {
  const lines = [
    c.greeting,
    '',
    c.intro,
    '',
    `${c.title} — ${c.subtitle}`,
    ...c.facts.map((f) => `${f.label} : ${f.value}`),
    '',
    `${c.bringTitle} :`,
    `- ${c.bring}`,
    '',
    `${c.instructionsTitle} :`,
    ...c.instructions.map((line) => `- ${line}`),
    '',
    `${c.stepsTitle} :`,
    ...c.steps.map((step, i) => `${i + 1}. ${step}`),
    '',
    c.footer,
  ]
  // English puts no space before a colon.
  return (c.language === 'en' ? lines.map((l) => l.replace(/ :( |$)/, ':$1')) : lines).join('\n')
}
