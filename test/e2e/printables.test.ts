import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import t from 'tap'
import type { Page } from 'playwright-core'
import { SHEET_GEOMETRY } from '../../src/features/printables/attendance-sheet.ts'
import { createCandidate, createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { loginInBrowser, noJsPage, screenshot, startBrowserApp } from './browser.ts'

/*
 * The printable pages as Chromium prints them on A4: page.pdf, then poppler (pdfinfo, pdftotext,
 * pdftoppm). The PNGs land in test-output/ for a person to look at.
 */
const OUT = 'test-output'
mkdirSync(OUT, { recursive: true })

/** Prints the current page to test-output/<name>.pdf and its PNGs; returns each page's text, spaces collapsed. */
async function printPdf(page: Page, name: string): Promise<string[]> {
  const file = `${OUT}/${name}.pdf`
  await page.pdf({ path: file, format: 'A4' })
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const count = Number(/Pages:\s+(\d+)/.exec(info)![1])
  for (const old of readdirSync(OUT).filter((f) => new RegExp(`^${name}-\\d+\\.png$`).test(f))) rmSync(`${OUT}/${old}`)
  execFileSync('pdftoppm', ['-png', '-r', '60', file, `${OUT}/${name}`])
  const texts: string[] = []
  for (let i = 1; i <= count; i++) {
    const text = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), file, '-'], { encoding: 'utf8' })
    texts.push(text.replace(/\s+/g, ' '))
  }
  return texts
}

function pageSize(file: string): { width: number; height: number } {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info)!
  return { width: Number(w), height: Number(h) }
}

const LONG_LAST = 'Wolfeschlegelsteinhausenbergerdorff-Delacroix-Montmorency'
const LONG_FIRST = 'Marie-Bernadette-Anne-Sophie-Charlotte'

async function sessionWith(db: Parameters<typeof createSession>[0], centreId: number, count: number) {
  const session = await createSession(db, centreId, {
    site_name: 'Lycée Jean Moulin — bâtiment des sciences',
    room: 'Salle informatique B204',
    invigilators: 'Eric Martin, Sophie Bernard',
  })
  for (let i = 0; i < count; i++) {
    const long = i === 3
    await createCandidate(db, session.id, {
      last_name: long ? LONG_LAST : `Nom${String(i).padStart(2, '0')}`,
      first_name: long ? LONG_FIRST : `Prénom${i}`,
      birth_city: `Ville${i}`,
      email: long ? 'marie-bernadette.wolfeschlegelsteinhausenbergerdorff@academie-exemple.fr' : `candidat${i}@example.org`,
      extra_time_percentage: i % 7 === 0 ? 33 : null,
      external_id: `ID-${i}`,
    })
  }
  return session
}

/** The row numbers (N° column) printed on each page: the lines of `pdftotext -layout` that start with one. */
function rowNumbersPerPage(file: string, pages: number): number[][] {
  const result: number[][] = []
  for (let i = 1; i <= pages; i++) {
    const text = execFileSync('pdftotext', ['-layout', '-f', String(i), '-l', String(i), file, '-'], { encoding: 'utf8' })
    result.push(
      text.split('\n').flatMap((line) => {
        const found = /^\s*(\d{1,4})(?:\s|$)/.exec(line)
        return found ? [Number(found[1])] : []
      }),
    )
  }
  return result
}

const PT_PER_MM = 72 / 25.4
const ROW_PT = SHEET_GEOMETRY.rowHeight * PT_PER_MM

/**
 * Room (pt) left between the bottom of the last row and the page's bottom margin (12 mm), from
 * where pdftotext places that row's number (1 mm of padding above it).
 */
function freeBelowLastRow(file: string, page: number, lastNumber: number): number {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
  const height = Number(/<page width="[\d.]+" height="([\d.]+)"/.exec(html)![1])
  const words = [...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)]
  const number = words.find((w) => w[3] === String(lastNumber) && Number(w[1]) < 60)!
  const rowTop = Number(number[2]) - 1 * PT_PER_MM
  return height - 12 * PT_PER_MM - (rowTop + ROW_PT)
}

t.test('attendance sheet: landscape A4, header row on every page, rows never split, long names whole, numbers whole, last page full', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)

  for (const count of [5, 25, 60, 120]) {
    const session = await sessionWith(server.db, member.centreId, count)
    const response = await page.goto(`/sessions/${session.id}/impression/feuille-emargement`)
    const blanks = ((await response!.text()).match(/<tr class="blank">/g) ?? []).length
    if (count === 25) await screenshot(page, 'printables-screen-sheet')
    const texts = await printPdf(page, `printables-sheet-${count}`)
    const file = `${OUT}/printables-sheet-${count}.pdf`
    const size = pageSize(file)
    t.ok(size.width > size.height, `${count}: landscape (${size.width} x ${size.height})`)
    texts.forEach((text, i) => {
      t.match(text, /Nom de naissance/, `${count}: header row on page ${i + 1}`)
      t.match(text, /Signature/, `${count}: signature column on page ${i + 1}`)
    })
    t.match(texts[0], /Feuille d’émargement/)
    t.match(texts[0], new RegExp(`N° de session :\\s+${session.id}`))
    // Each candidate's row sits whole on one page: its name and its e-mail are on the same page.
    for (let i = 0; i < count; i++) {
      if (i === 3) continue
      const name = new RegExp(`\\bNom${String(i).padStart(2, '0')}\\b`)
      const onPages = texts.map((text, p) => (name.test(text) ? p : -1)).filter((p) => p >= 0)
      t.equal(onPages.length, 1, `${count}: row ${i + 1} printed once`)
      t.ok(new RegExp(`\\bcandidat${i}@`).test(texts[onPages[0]!]!), `${count}: row ${i + 1} whole on one page`)
    }
    // The long name wraps rather than being cut: every part of it is printed.
    const all = texts.join('\n').replace(/[\s-]+/g, '')
    t.ok(all.includes(LONG_LAST.replace(/-/g, '')), `${count}: long last name whole`)
    t.ok(all.includes(LONG_FIRST.replace(/-/g, '')), `${count}: long first name whole`)
    t.ok(all.includes('academieexemple.fr'), `${count}: long e-mail whole`)
    // Every row number is printed whole, on one line ("120", never "12" over "0"), in order.
    const numbers = rowNumbersPerPage(file, texts.length)
    t.same(
      numbers.flat(),
      Array.from({ length: count + blanks }, (_, i) => i + 1),
      `${count}: rows 1 to ${count + blanks}, each number whole`,
    )
    // The blank rows fill the last page (nearly full, never one or two lone rows) and start no page of their own.
    const free = freeBelowLastRow(file, texts.length, count + blanks)
    t.ok(free >= 0 && free < 2 * ROW_PT, `${count}: room for less than two more rows under the last one (${Math.round(free)} pt)`)
    t.ok(
      numbers.at(-1)!.some((n) => n <= count),
      `${count}: the last page holds candidates, not blank rows only`,
    )
  }
})

t.test('PV d’incident and invigilator kit print on portrait A4 without clipping', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await sessionWith(server.db, member.centreId, 3)
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)

  await page.goto(`/sessions/${session.id}/impression/pv-incident`)
  await screenshot(page, 'printables-screen-report')
  const report = await printPdf(page, 'printables-report')
  const reportSize = pageSize(`${OUT}/printables-report.pdf`)
  t.ok(reportSize.height > reportSize.width, 'portrait')
  t.equal(report.length, 2, 'two pages: the form, then the codes')
  const reportText = report.join('\n')
  for (const code of ['C1', 'C6', 'E1', 'E7', 'A1', 'A2']) t.match(reportText, new RegExp(`\\b${code}\\b`), code)
  t.match(reportText, /Signalements individuels/)
  t.match(reportText, /il n’est pas nécessaire de l’indiquer/)

  await page.goto(`/sessions/${session.id}/impression/kit-surveillant`)
  await screenshot(page, 'printables-screen-kit')
  const kit = await printPdf(page, 'printables-kit')
  t.equal(kit.length, 1, 'the kit fits on one page')
  t.match(kit[0], new RegExp(session.access_code))
  t.match(kit[0], new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}/rejoindre`))
})

// 200 candidates of ordinary names on at most 12 landscape pages, at least 18 rows
// on every full page, the last page holding a candidate, ids and e-mails whole, a Signature column
// one can sign in (≥ 35 mm).
t.test('attendance sheet of 200 candidates: ≤ 12 pages, ≥ 18 rows a page, last page with a candidate, Signature ≥ 35 mm', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const session = await createSession(server.db, member.centreId, { site_name: 'Lycée Jean Moulin', room: 'Salle B204', invigilators: 'Eric Martin' })
  const LAST = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau']
  const FIRST = ['Julie', 'Lucas', 'Emma', 'Hugo', 'Léa', 'Louis', 'Chloé', 'Gabriel', 'Manon', 'Jules']
  const CITY = ['Le Havre', 'Rouen', 'Évreux', 'Dieppe', 'Fécamp', 'Saint-Étienne-du-Rouvray']
  for (let i = 0; i < 200; i++) {
    const last = LAST[i % 10]!
    const first = FIRST[(i * 3) % 10]!
    await createCandidate(server.db, session.id, {
      last_name: last,
      first_name: first,
      birth_city: CITY[i % CITY.length]!,
      email: `${first
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()}.${last.toLowerCase()}${i}@lycee-jean-moulin.fr`,
      external_id: `INE-${String(100000 + i)}-AB`,
      extra_time_percentage: i % 9 === 0 ? 33 : null,
    })
  }
  const { page } = await noJsPage(browser, baseUrl)
  await loginInBrowser(page, member.email)
  await page.goto(`/sessions/${session.id}/impression/feuille-emargement`)
  // The Signature column, as printed: its share of the table times the table's 277 mm.
  await page.emulateMedia({ media: 'print' })
  const signatureShare = await page.evaluate(() => {
    const heads = [...document.querySelectorAll('.sheet-participants thead tr:last-child th')]
    const table = document.querySelector('.sheet-participants')!.getBoundingClientRect().width
    return heads.find((th) => th.textContent!.trim() === 'Signature')!.getBoundingClientRect().width / table
  })
  await page.emulateMedia({ media: null })
  t.ok(signatureShare * 277 >= 35, `Signature ${Math.round(signatureShare * 277)} mm wide`)

  const texts = await printPdf(page, 'printables-sheet-200')
  const file = `${OUT}/printables-sheet-200.pdf`
  t.ok(texts.length <= 12, `${texts.length} pages`)
  // A candidate's row per identifier printed whole (checked below); the blank rows follow the last one.
  const candidatesPerPage = texts.map((text) => (text.match(/INE-\d{6}-AB/g) ?? []).length)
  t.equal(
    candidatesPerPage.reduce((a, b) => a + b, 0),
    200,
    'each candidate printed once',
  )
  // Page 1 also holds the title and the session block.
  t.ok(candidatesPerPage[0]! >= 12, `page 1: ${candidatesPerPage[0]} rows`)
  candidatesPerPage.slice(1, -1).forEach((n, i) => t.ok(n >= 18, `page ${i + 2}: ${n} rows`))
  t.ok(candidatesPerPage.at(-1)! > 0, `the last page holds ${candidatesPerPage.at(-1)} candidates, not blank rows only`)
  // Ids and e-mails are never cut inside a token: each is printed whole (an e-mail may break at @ or a dot).
  const layout = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
  const ids = layout.match(/INE-\d{6}-AB/g) ?? []
  t.equal(ids.length, 200, 'every identifier on one line')
  const all = texts.join(' ')
  for (let i = 0; i < 200; i += 37) {
    const mail = new RegExp(`[a-z]+\\.[a-z]+${i}@ ?lycee-jean-moulin\\. ?fr`)
    t.match(all, mail, `e-mail ${i} whole or broken at @ or a dot`)
  }
})
