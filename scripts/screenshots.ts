/**
 * `npm run screenshots`: drives Debian's Chromium (JavaScript off, like the app's users) over a demo
 * database and writes docs/screenshots/*.png for the README and the user guide (docs/guide/). Screens
 * whose page does not exist yet are skipped with a notice, so the script keeps working while features
 * land.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Fastify from 'fastify'
import { chromium, type Page } from 'playwright-core'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { acceptCgu, addUserToCentre } from '../src/features/accounts/accounts.service.ts'
import { insertCentre } from '../src/features/centres/centres.repository.ts'
import { CHROMIUM } from '../test/e2e/browser.ts'
import { createCandidate, createSession, joinCandidate } from '../test/factories.ts'
import { candidateRow, participantsSheet } from '../test/lib/ods.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OUT = path.join(ROOT, 'docs/screenshots')
const EMAIL = 'claire.moreau@example.org'
const PASSWORD = 'Demo-password-1234'

const CANDIDATES: Array<[string, string, string, string, string]> = [
  ['Dupont', 'Julie', '1996-03-13', 'Le Havre', '76'],
  ['Martin', 'Lucas', '2006-07-02', 'Rouen', '76'],
  ['Bernard', 'Emma', '2006-11-21', 'Caen', '14'],
  ['Petit', 'Hugo', '2007-01-09', 'Évreux', '27'],
  ['Nguyen', 'Léa', '2006-05-30', 'Paris', '75'],
  ['Diallo', 'Moussa', '2006-09-17', 'Dakar', '99'],
  ['Lefèvre', 'Chloé', '2006-12-04', 'Dieppe', '76'],
  ['Rossi', 'Enzo', '2007-02-26', 'Ajaccio', '2A'],
]

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'certisalle-demo-'))
  const server = Fastify({ logger: false })
  await server.register(app, { config: loadConfig({ DATA_DIR: dataDir, COOKIE_SECRET: 'demo-secret-demo-secret-demo-secret', NODE_ENV: 'production' }) })
  await server.ready()
  const db = server.db
  const centreId = await insertCentre(db, 'Lycée Jean Moulin')
  const user = await addUserToCentre(db, { email: EMAIL, password: PASSWORD, firstName: 'Claire', lastName: 'Moreau' }, 'Lycée Jean Moulin', 'admin')
  if ('error' in user) throw new Error('demo user')
  await acceptCgu(db, user.userId)
  const sessions = []
  for (const [i, room] of ['Salle 12', 'CDI', 'Salle 45', 'Salle informatique B', 'Salle 3'].entries()) {
    sessions.push(
      await createSession(db, centreId, {
        site_name: 'Lycée Jean Moulin',
        room,
        date: `2026-12-0${i + 1}`,
        start_time: i % 2 ? '14:00' : '09:30',
        invigilators: 'Claire Moreau, Paul Martin',
      }),
    )
  }
  const main = sessions[2]!
  const imported = sessions[1]!
  const candidates = []
  for (const [last, first, birthdate, city, dept] of CANDIDATES) {
    candidates.push(
      await createCandidate(db, main.id, {
        last_name: last,
        first_name: first,
        birthdate,
        birth_city: city,
        birth_department_code: dept,
        birth_country: dept === '99' ? 'Sénégal' : 'France',
        email: null,
      }),
    )
  }
  for (const c of candidates.slice(0, 5)) await joinCandidate(db, c)
  // Espace surveillant: five started (one ended, with its end screen seen; one with an A1 incident), one waiting, one present, one registered.
  const now = new Date().toISOString()
  await db
    .updateTable('candidate')
    .set({ presence_confirmed_at: now, arrived_at: now })
    .where(
      'id',
      'in',
      [...candidates.slice(0, 5), candidates[6]!].map((c) => c.id),
    )
    .execute()
  await db.updateTable('candidate').set({ arrived_at: now }).where('id', '=', candidates[5]!.id).execute()
  await db.updateTable('certification_course').set({ ended_at: now }).where('candidate_id', '=', candidates[1]!.id).execute()
  await db.updateTable('candidate').set({ has_seen_end_screen: 1, extra_time_percentage: 33 }).where('id', '=', candidates[1]!.id).execute()
  await db
    .insertInto('report')
    .values({
      session_id: main.id,
      candidate_id: candidates[2]!.id,
      category: 'technical_problem',
      code: 'A1',
      question_number: null,
      details: 'Écran figé 5 minutes',
      source: 'invigilator',
      recorded_at: now,
    })
    .execute()

  const baseUrl = await server.listen({ port: 0, host: '127.0.0.1' })
  server.config.publicUrl = baseUrl
  // --lang: the browser's own texts (file input) in French, as on a French school's computer.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--lang=fr-FR'],
    env: { ...process.env, LANG: 'fr_FR.UTF-8', LANGUAGE: 'fr' },
  })
  mkdirSync(OUT, { recursive: true })
  const written: string[] = []
  const skipped: string[] = []
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, baseURL: baseUrl, locale: 'fr-FR', viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const shoot = async (name: string, file = name) => {
      const target = path.join(OUT, `${file}.png`)
      await page.screenshot({ path: target, fullPage: true })
      written.push(path.relative(ROOT, target))
    }
    const open = async (name: string, url: string) => {
      const response = await page.goto(url)
      if (!response || response.status() !== 200) {
        skipped.push(`${name}: GET ${url} answers ${response?.status()} (page not there yet)`)
        return false
      }
      return true
    }

    if (await open('login', '/connexion')) await shoot('login')
    await page.getByLabel('Adresse e-mail').fill(EMAIL)
    await page.getByLabel('Mot de passe').fill(PASSWORD)
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Je me connecte' }).click()])
    if (await open('session list', '/sessions')) await shoot('session-list')
    if (await open('session details', `/sessions/${main.id}`)) await shoot('session-details')
    if (await open('candidates tab', `/sessions/${main.id}/candidats`)) await shoot('candidates')

    // An import with warnings, then one with errors, through the page's own form.
    const importForm = async (rows: ReturnType<typeof candidateRow>[], name: string, file: string) => {
      if (!(await open(name, `/sessions/${imported.id}/candidats`))) return
      const input = page.locator('input[type="file"][name="fichier"]')
      if ((await input.count()) === 0) {
        skipped.push(`${name}: no import form on the candidates tab yet`)
        return
      }
      const template = await context.request.get(`/sessions/${imported.id}/candidats/feuille-emargement.ods`)
      const bytes = participantsSheet(rows, template.ok() ? Buffer.from(await template.body()) : undefined)
      const tmp = path.join(dataDir, `${file}.ods`)
      writeFileSync(tmp, bytes)
      await input.setInputFiles(tmp)
      await Promise.all([
        page.waitForLoadState('load'),
        input.locator('xpath=ancestor::form').locator('button[type="submit"], button:not([type])').first().click(),
      ])
      await shoot(name, file)
    }
    await importForm(
      // A misspelt commune ("Rouenn") is imported with a warning, as the guide's users often do.
      CANDIDATES.map(([last, first, birthdate, city, dept], i) =>
        candidateRow(i, {
          last: `${last}  `,
          first,
          birthdate: birthdate.split('-').reverse().join('/'),
          city: city === 'Rouen' ? 'Rouenn' : city,
          dept,
          country: dept === '99' ? 'Sénégal' : 'France',
        }),
      ),
      'candidates after an import with warnings',
      'import-warnings',
    )
    await importForm(
      [candidateRow(0, { birthdate: '31/02/2000' }), candidateRow(1, { dept: '20' }), candidateRow(2, { last: '' }), candidateRow(3, { extra: 150 })],
      'import error list',
      'import-errors',
    )

    if (await open('attendance sheet', `/sessions/${main.id}/impression/feuille-emargement`)) await shoot('attendance-sheet')
    if (await open('finalisation step 1', `/sessions/${main.id}/finalisation`)) await shoot('finalisation')
    // The user guide's later chapters (docs/guide/): several sessions, team, history, personal data.
    if (await open('several sessions', '/sessions/import-multiple')) await shoot('batch-import')
    if (await open('team', '/equipe')) await shoot('team')
    if (await open('centre history', '/equipe/historique')) await shoot('history')
    if (await open('personal data', '/donnees-personnelles')) await shoot('personal-data')
    // The same details page in English, through the header's language switch (a plain form).
    if (await open('session details in English', `/sessions/${main.id}`)) {
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'English' }).click()])
      await shoot('session-details-en')
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Français' }).click()])
    }

    // Espace surveillant: the invigilator's own browser, no account, the session number and password.
    const invigilator = await (
      await browser.newContext({ javaScriptEnabled: false, baseURL: baseUrl, locale: 'fr-FR', viewport: { width: 1280, height: 800 } })
    ).newPage()
    const shootAs = async (target: Page, file: string) => {
      const out = path.join(OUT, `${file}.png`)
      await target.screenshot({ path: out, fullPage: true })
      written.push(path.relative(ROOT, out))
    }
    const login = await invigilator.goto('/surveillance')
    if (login?.status() === 200) {
      await shootAs(invigilator, 'supervision-login')
      await invigilator.getByLabel('Numéro de la session').fill(String(main.id))
      await invigilator.getByLabel('Mot de passe de la session').fill(`C-${main.invigilator_password}`)
      await Promise.all([invigilator.waitForLoadState('load'), invigilator.getByRole('button', { name: 'Surveiller la session' }).click()])
      await shootAs(invigilator, 'supervision')
      await invigilator.goto(`/sessions/${main.id}/surveillance?terminer=${candidates[0]!.id}#candidat-${candidates[0]!.id}`)
      await invigilator.setViewportSize({ width: 390, height: 844 })
      await shootAs(invigilator, 'supervision-phone')
    } else skipped.push(`invigilator page: GET /surveillance answers ${login?.status()}`)
  } finally {
    await browser.close()
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  for (const file of written) console.log(`écrit : ${file}`)
  for (const notice of skipped) console.log(`ignoré : ${notice}`)
}

await main()
