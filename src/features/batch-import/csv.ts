/**
 * A strict, bounded CSV reader for the "Créer/éditer plusieurs sessions" template: what Excel and
 * LibreOffice write when they save as CSV. UTF-8 with or without a byte-order mark, or Windows-1252
 * (Excel's "CSV (séparateur : point-virgule)" in French); `;` or `,` (detected from the header line,
 * or Excel's `sep=` hint); fields quoted with `"` ("" inside for a quote, line breaks allowed
 * inside quotes); CRLF, LF or CR line ends. Nothing is evaluated: a cell starting with `=`, `+`, `-`
 * or `@` is text like any other. A quote inside an unquoted field is kept as a character.
 */

export interface CsvLimits {
  maxBytes: number
  /** Records, header included. */
  maxRecords: number
  maxFields: number
  /** Characters of one record, quoted line breaks included. */
  maxRecordLength: number
}

export const CSV_LIMITS: CsvLimits = { maxBytes: 5 * 1024 * 1024, maxRecords: 5_300, maxFields: 64, maxRecordLength: 20_000 }

export type CsvProblem =
  | { reason: 'too_big' }
  | { reason: 'binary' }
  | { reason: 'too_many_records'; max: number }
  | { reason: 'too_many_fields'; line: number; max: number }
  | { reason: 'record_too_long'; line: number; max: number }
  | { reason: 'unclosed_quote'; line: number }
  | { reason: 'stray_quote'; line: number }

/** One record with the line of the file it starts on (1-based, as a spreadsheet shows it). */
export interface CsvRecord {
  line: number
  fields: string[]
}

export type CsvReading = { ok: true; separator: ';' | ','; records: CsvRecord[] } | { ok: false; problem: CsvProblem }

const BOM = '\ufeff'

// Windows-1252's 0x80–0x9F (the rest is Latin-1). Node 20's TextDecoder('windows-1252') reads them
// as Latin-1 control characters, so the table is written out.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (every byte is a character there). */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    let text = ''
    for (const byte of bytes) text += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte)
    return text
  }
}

/** The separator of the header line: the one of `;` and `,` that appears more often outside quotes. */
function detectSeparator(text: string): ';' | ',' {
  let semicolons = 0
  let commas = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    else if (!quoted && (c === '\n' || c === '\r')) break
    else if (!quoted && c === ';') semicolons++
    else if (!quoted && c === ',') commas++
  }
  return commas > semicolons ? ',' : ';'
}

export function readCsv(bytes: Uint8Array, limits: CsvLimits = CSV_LIMITS): CsvReading {
  if (bytes.length > limits.maxBytes) return { ok: false, problem: { reason: 'too_big' } }
  // A text file has no NUL byte (UTF-16 and binary files do).
  if (bytes.includes(0)) return { ok: false, problem: { reason: 'binary' } }
  let text = decodeCsv(bytes)
  if (text.startsWith(BOM)) text = text.slice(1)
  let line = 1
  let separator: ';' | ','
  const hint = /^"?sep=([;,])"?(\r\n|\n|\r)/i.exec(text)
  if (hint) {
    separator = hint[1] as ';' | ','
    text = text.slice(hint[0].length)
    line = 2
  } else separator = detectSeparator(text)

  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let recordStart = 0
  let recordLine = line
  let i = 0
  const endRecord = (): CsvProblem | null => {
    fields.push(field)
    field = ''
    if (fields.length > limits.maxFields) return { reason: 'too_many_fields', line: recordLine, max: limits.maxFields }
    if (records.length >= limits.maxRecords) return { reason: 'too_many_records', max: limits.maxRecords }
    // A line of nothing at all (or only separators) is a blank row: skipped like in a spreadsheet.
    if (fields.some((f) => f !== '')) records.push({ line: recordLine, fields })
    fields = []
    return null
  }
  while (i < text.length) {
    const c = text[i]!
    if (i - recordStart > limits.maxRecordLength) return { ok: false, problem: { reason: 'record_too_long', line: recordLine, max: limits.maxRecordLength } }
    if (c === '"' && field === '') {
      // A quoted field: up to the closing quote; "" is a quote; line breaks are part of the value.
      let j = i + 1
      let value = ''
      for (;;) {
        const q = text.indexOf('"', j)
        if (q === -1) return { ok: false, problem: { reason: 'unclosed_quote', line: recordLine } }
        value += text.slice(j, q)
        if (text[q + 1] === '"') {
          value += '"'
          j = q + 2
          continue
        }
        j = q + 1
        break
      }
      line += (value.match(/\r\n|\n|\r/g) ?? []).length
      field = value
      i = j
      const next = text[i]
      if (next !== undefined && next !== separator && next !== '\n' && next !== '\r') return { ok: false, problem: { reason: 'stray_quote', line } }
      if (i - recordStart > limits.maxRecordLength) return { ok: false, problem: { reason: 'record_too_long', line: recordLine, max: limits.maxRecordLength } }
      continue
    }
    if (c === separator) {
      fields.push(field)
      field = ''
      if (fields.length > limits.maxFields) return { ok: false, problem: { reason: 'too_many_fields', line: recordLine, max: limits.maxFields } }
      i++
      continue
    }
    if (c === '\n' || c === '\r') {
      const problem = endRecord()
      if (problem) return { ok: false, problem }
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      recordStart = i
      recordLine = line
      continue
    }
    // A quote inside an unquoted field is a character of it (LibreOffice reads it so).
    field += c
    i++
  }
  if (field !== '' || fields.length > 0) {
    const problem = endRecord()
    if (problem) return { ok: false, problem }
  }
  return { ok: true, separator, records }
}
