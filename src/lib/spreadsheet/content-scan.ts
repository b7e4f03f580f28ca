/**
 * A pass over content.xml before SheetJS reads it, to refuse "repeat bombs" in milliseconds.
 *
 * SheetJS copies a non-empty cell once per repetition (`table:number-rows-repeated` of its row ×
 * its own `table:number-columns-repeated`), synchronously: a 1 KB file asking for 1,048,576 rows ×
 * 16,384 columns freezes the server, then exhausts its memory. Empty runs cost it nothing (it only
 * moves its row and column counters), which is what LibreOffice writes at the end of every sheet
 * (e.g. 1,048,553 empty rows of 1,024 empty cells), so they are left as they are — and line
 * numbers of real files stay exactly LibreOffice's.
 *
 * To be sure to see what SheetJS will see, this pass reads the text exactly as its ODS reader
 * does (same tag expression, same attribute reading, comments and doctype removed the same way)
 * and follows the same row and column counters; it counts every cell SheetJS would store.
 */
export interface ContentLimits {
  /** Rows a sheet may have content in (zero-based row indexes below this). */
  maxRows: number
  /** Columns a sheet may have content in (zero-based column indexes below this). */
  maxColumns: number
  /** Cells SheetJS may create in the whole document, repetitions included. */
  maxCells: number
  /** Array formulas (SheetJS compares every following cell with each of them). */
  maxArrayFormulas: number
}

// SheetJS 0.20.3's `xlmlregex` and `attregexg` (parse_content_xml, parsexmltag).
const TAG = /<([/]?)([^\s?><!/:"]*:|)([^\s?<>:/"]+)(?:\s+[^<>=?"'\s]+="[^"]*?")*\s*[/]?>/gm
const ATTRIBUTE = /\s([^"\s?>/]+)\s*=\s*((?:")([^"]*)(?:")|(?:')([^']*)(?:')|([^'">\s]+))/g

/** SheetJS's `parsexmltag`: attributes by local name (and lower-cased), first `calcext:` duplicate ignored. */
function attributes(tag: string): Map<string, string> {
  const z = new Map<string, string>()
  let eq = 0
  for (; eq !== tag.length; ++eq) {
    const c = tag.charCodeAt(eq)
    if (c === 32 || c === 10 || c === 13) break
  }
  if (eq === tag.length) return z
  for (const m of tag.match(ATTRIBUTE) ?? []) {
    const cc = m.slice(1)
    let c = 0
    for (; c !== cc.length; ++c) if (cc.charCodeAt(c) === 61) break
    let q = cc.slice(0, c).trim()
    while (cc.charCodeAt(c + 1) === 32) ++c
    const quote = cc.charCodeAt(c + 1) === 34 || cc.charCodeAt(c + 1) === 39 ? 1 : 0
    const v = cc.slice(c + 1 + quote, cc.length - quote)
    const j = q.indexOf(':')
    if (j === -1) {
      if (q.indexOf('_') > 0) q = q.slice(0, q.indexOf('_'))
      z.set(q, v)
      z.set(q.toLowerCase(), v)
    } else {
      const k = (j === 5 && q.slice(0, 5) === 'xmlns' ? 'xmlns' : '') + q.slice(j + 1)
      if (z.has(k) && q.slice(j - 3, j) === 'ext') continue
      z.set(k, v)
      z.set(k.toLowerCase(), v)
    }
  }
  return z
}

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map()
/**
 * A cell's attributes can only matter when its tag names one we read: each key of `attributes` is
 * a piece of the tag's text (or that piece lower-cased, and no character lower-cases into the ASCII
 * letters of these names but the Kelvin sign's "k", which none has). Most cells of a real sheet
 * (`<table:table-cell office:value-type="string" …>`, not self-closing) name none of them.
 */
const CELL_OPENING_ATTRIBUTES = /repeated|spanned/i
const SELF_CLOSING_CELL_ATTRIBUTES = /repeated|spanned|value-type|数据类型/i
const cellAttributes = (tag: string, selfClosing: boolean): ReadonlyMap<string, string> =>
  (selfClosing ? SELF_CLOSING_CELL_ATTRIBUTES : CELL_OPENING_ATTRIBUTES).test(tag) ? attributes(tag) : NO_ATTRIBUTES

/** SheetJS's `str_remove_ng(str, '<!--', '-->')` then `remove_doctype`. */
function normalise(xml: string): string {
  let str = xml
  let si = str.indexOf('<!--')
  if (si !== -1) {
    const out: string[] = []
    let last = 0
    while (si > -1) {
      out.push(str.slice(last, si))
      const ei = str.indexOf('-->', si + 4)
      if (ei === -1) break
      last = ei + 3
      si = str.indexOf('<!--', last)
      if (si === -1) out.push(str.slice(last))
    }
    str = out.join('')
  }
  const doctype = str.slice(0, 1024).indexOf('<!DOCTYPE')
  if (doctype !== -1) {
    const first = /<[\w]/.exec(str)
    if (first) str = str.slice(0, doctype) + str.slice(first.index)
  }
  return str
}

/** 0 → 'A', 63 → 'BL' (the column letters LibreOffice shows). */
export function columnLetters(index: number): string {
  let s = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

const isCell = (name: string) => name === 'table-cell' || name === '数据'
const isRow = (name: string) => name === 'table-row' || name === '行'
const isTable = (name: string) => name === 'table' || name === '工作表'

/** Why a document is refused: content below the last row or right of the last column allowed, or too many cells. */
export type ContentProblem = { reason: 'rows'; sheet: string } | { reason: 'columns'; sheet: string; line: number; column: string } | { reason: 'cells' }

/** null when SheetJS can read the document within the limits. */
export function scanContent(xml: string, limits: ContentLimits): ContentProblem | null {
  const tooMany: ContentProblem = { reason: 'cells' }
  const str = normalise(xml)
  let R = -1
  let C = -1
  let rowpeat = 1
  let ctag: ReadonlyMap<string, string> = new Map()
  let sheet = ''
  let cells = 0
  let arrayFormulas = 0
  /** A cell stored `rows` × `columns` times from (R, C): refused when it goes past the limits. */
  const store = (rows: number, columns: number): ContentProblem | null => {
    const lastRow = R + rows - 1
    const lastColumn = C + columns - 1
    if (!Number.isFinite(lastRow) || !Number.isFinite(lastColumn)) return tooMany
    if (lastRow >= limits.maxRows) return { reason: 'rows', sheet }
    if (lastColumn >= limits.maxColumns) return { reason: 'columns', sheet, line: Math.max(1, Math.floor(R) + 1), column: columnLetters(limits.maxColumns - 1) }
    cells += rows * columns
    return cells > limits.maxCells ? tooMany : null
  }
  TAG.lastIndex = 0
  let m: RegExpExecArray | null
  while ((m = TAG.exec(str))) {
    const closing = m[1] === '/'
    const name = m[3]!.replace(/_[\s\S]*$/, '')
    const tag = m[0]
    const selfClosing = tag.charAt(tag.length - 2) === '/'
    let refused: ContentProblem | null = null
    if (isTable(name)) {
      if (!closing && !selfClosing) {
        sheet = attributes(tag).get('name') ?? ''
        R = C = -1
      }
    } else if (isRow(name)) {
      if (closing) {
        R += rowpeat
        rowpeat = 1
      } else {
        const row = attributes(tag)
        if (row.get('行号')) R = Number(row.get('行号')) - 1
        else if (R === -1) R = 0
        rowpeat = Number(row.get('number-rows-repeated')) || 1
        C = -1
      }
    } else if (name === 'covered-table-cell') {
      if (!closing) {
        ++C
        ctag = attributes(tag)
        C += (Number.parseInt(ctag.get('number-columns-repeated') || '1', 10) || 1) - 1
      }
    } else if (isCell(name)) {
      if (selfClosing) {
        ++C
        ctag = cellAttributes(tag, true)
        const columns = Number.parseInt(ctag.get('number-columns-repeated') || '1', 10) || 1
        if ((ctag.get('数据类型') || ctag.get('value-type')) === 'string') refused = store(1, 1) // stored once, not repeated
        C += columns - 1
      } else if (!closing) {
        ++C
        ctag = cellAttributes(tag, false)
        if (ctag.get('number-matrix-columns-spanned') && ctag.get('number-matrix-rows-spanned') && ++arrayFormulas > limits.maxArrayFormulas) refused = tooMany
      } else {
        // SheetJS stores this cell (unless it has no text at all) once per repeated row and column.
        const columns = Number.parseInt(ctag.get('number-columns-repeated') || '1', 10)
        refused = store(Math.max(0, Math.ceil(rowpeat)), Number.isNaN(columns) ? 1 : Math.max(1, columns))
        C += columns - 1
      }
    }
    if (refused) return refused
  }
  return null
}
