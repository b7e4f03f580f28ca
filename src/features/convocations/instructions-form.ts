import { msg } from '../../i18n/index.ts'
import { readFields } from '../../lib/forms.ts'
import { invalid, ok, type Result } from '../../lib/result.ts'
import { controlCharacterProblem, normaliseNewlines } from '../../lib/text.ts'
import { MAX_INSTRUCTIONS_LENGTH } from './convocation.ts'

export const instructionsFields = ['consignes'] as const

/**
 * The "Consignes aux candidats" form: `typed`, the text as received (shown again with an error),
 * and the text to save (trimmed, line breaks normalised), or the field's error: control
 * characters (checked on the value as received) or too long.
 */
export function readInstructionsForm(body: unknown): { typed: string; result: Result<string> } {
  const consignes = (body as { consignes?: unknown } | null)?.consignes
  const typed = typeof consignes === 'string' ? consignes : ''
  const text = normaliseNewlines(readFields(body, instructionsFields).consignes)
  const problem =
    controlCharacterProblem(typed) ??
    (text.length > MAX_INSTRUCTIONS_LENGTH ? msg('convocations.instructions.too_long', { max: MAX_INSTRUCTIONS_LENGTH }) : null)
  return { typed, result: problem ? invalid({ consignes: problem }) : ok(text) }
}
