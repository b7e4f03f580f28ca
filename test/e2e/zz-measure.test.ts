import t from 'tap'
import { createCandidate, createSession } from '../factories.ts'
import { createMember } from '../helper.ts'
import { loginInBrowser, startBrowserApp } from './browser.ts'

t.test('measure', async (t) => {
  const { server, baseUrl, browser } = await startBrowserApp(t)
  const member = await createMember(server)
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'fr-FR' })
  const page = await context.newPage()
  await loginInBrowser(page, member.email)
  const session = await createSession(server.db, member.centreId, { site_name: 'Lycée Jean Moulin — bâtiment des sciences', room: 'Salle informatique B204', invigilators: 'Eric Martin, Sophie Bernard' })
  for (let i = 0; i < 3; i++) await createCandidate(server.db, session.id, { last_name: i === 1 ? 'Wolfeschlegelsteinhausenbergerdorff-Delacroix-Montmorency' : `Nom${i}`, email: i === 2 ? 'marie-bernadette.wolfeschlegelsteinhausenbergerdorff@academie-exemple.fr' : 'a@b.fr' })
  await page.goto(`/sessions/${session.id}/impression/feuille-emargement`)
  await page.emulateMedia({ media: 'print' })
  await page.setViewportSize({ width: Math.round((277 / 25.4) * 96), height: 800 })
  const m = await page.evaluate(() => {
    const mm = (px: number) => (px * 25.4) / 96
    const main = document.querySelector('main')!.getBoundingClientRect()
    const rows = [...document.querySelectorAll('.sheet-participants tbody tr')].map((r) => mm(r.getBoundingClientRect().height))
    const thead = document.querySelector('.sheet-participants thead')!.getBoundingClientRect()
    const first = document.querySelector('.sheet-participants tbody tr')!.getBoundingClientRect()
    const table = document.querySelector('.sheet-participants')!.getBoundingClientRect()
    const cols = [...document.querySelectorAll('.sheet-participants thead tr:last-child th')].map((c) => mm(c.getBoundingClientRect().width))
    return { mainWidth: mm(main.width), tableWidth: mm(table.width), firstRowTop: mm(first.top - main.top), thead: mm(thead.height), rows, cols }
  })
  console.log(JSON.stringify(m, null, 1))
  t.pass()
})
