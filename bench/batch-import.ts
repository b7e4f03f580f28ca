/**
 * "Créer/éditer plusieurs sessions", step 1 → step 2 on 5,000 lines (200 sessions of 25 candidates):
 * the upload through the app (multipart, CSV or .ods reading, every rule, the plan kept in the
 * database) and the recap page, on a temporary database. Not a test (no timings in tests).
 * Run with `NODE_ENV=production npx tsx bench/batch-import.ts`; the issue's goal is well under 2 s.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import Fastify, { type InjectOptions } from 'fastify'
import * as XLSX from 'xlsx'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { templateTitles } from '../src/features/batch-import/columns.ts'
import { acceptCgu, addUserToCentre } from '../src/features/accounts/accounts.service.ts'
import { insertCentre } from '../src/features/centres/centres.repository.ts'

const SESSIONS = 200
const PER_SESSION = 25
const RUNS = 5
const PASSWORD = 'Bench-password-1234'
const letters = (n: number): string => (n >= 26 ? letters(Math.floor(n / 26)) : '') + String.fromCharCode(97 + (n % 26))
const CITIES = [
  ['Le Havre', '76'],
  ['Bordeaux', '33'],
  ['Montpellier', '34'],
  ['Ajaccio', '2A'],
] as const

function lines(): string[][] {
  const rows: string[][] = []
  for (let s = 0; s < SESSIONS; s++) {
    for (let c = 0; c < PER_SESSION; c++) {
      const [city, dept] = CITIES[c % CITIES.length]!
      rows.push([
        '',
        `Lycée ${letters(s)}`,
        `Salle ${s % 30}`,
        `${String((s % 28) + 1).padStart(2, '0')}/06/2030`,
        '09:00',
        'Eric Martin',
        '',
        `Nom-${letters(c)}`,
        'Julie',
        `${String((c % 28) + 1).padStart(2, '0')}/03/1996`,
        city,
        dept,
        'France',
        `c${s}.${c}@exemple.fr`,
        `ETU-${s}-${c}`,
        c % 10 ? '' : '33',
      ])
    }
  }
  return rows
}

const csv = () => Buffer.from(`\ufeff${[templateTitles(), ...lines()].map((r) => r.map((v) => `"${v}"`).join(';')).join('\r\n')}\r\n`)
function ods(): Buffer {
  const wb = XLSX.utils.book_new()
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([templateTitles(), ...lines()]), 'Sessions')
  return XLSX.write(wb, { bookType: 'ods', type: 'buffer', compression: true }) as Buffer
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'certisalle-bench-batch-'))
  const server = Fastify({ logger: false })
  await server.register(app, { config: loadConfig({ DATA_DIR: dataDir, COOKIE_SECRET: 'bench-secret-bench-secret-bench-secret', LOG_LEVEL: 'silent' }) })
  await server.ready()
  try {
    await insertCentre(server.db, 'Centre Bench')
    const user = await addUserToCentre(
      server.db,
      { email: 'bench@example.org', password: PASSWORD, firstName: 'Bea', lastName: 'Nch' },
      'Centre Bench',
      'admin',
    )
    if ('error' in user) throw new Error('seed')
    await acceptCgu(server.db, user.userId)
    const cookies = new Map<string, string>()
    let csrf = ''
    const send = async (options: InjectOptions) => {
      const response = await server.inject({ ...options, headers: { ...options.headers, cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } })
      for (const c of response.cookies as Array<{ name: string; value: string }>) cookies.set(c.name, c.value)
      const m = /name="_csrf" value="([^"]+)"/.exec(response.body)
      if (m) csrf = m[1]!
      return response
    }
    await send({ method: 'GET', url: '/connexion' })
    await send({
      method: 'POST',
      url: '/connexion',
      payload: new URLSearchParams({ _csrf: csrf, email: 'bench@example.org', password: PASSWORD }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    await send({ method: 'GET', url: '/sessions/import-multiple' })
    for (const [name, file] of [
      ['csv', csv()],
      ['ods', ods()],
    ] as const) {
      const times: number[] = []
      for (let run = 0; run < RUNS; run++) {
        const form = new FormData()
        form.append('_csrf', csrf)
        form.append('fichier', new Blob([new Uint8Array(file)]), `sessions.${name}`)
        const started = performance.now()
        const upload = await send({ method: 'POST', url: '/sessions/import-multiple/import', payload: form as unknown as InjectOptions['payload'] })
        const recap = await send({ method: 'GET', url: upload.headers.location as string })
        times.push(performance.now() - started)
        if (upload.statusCode !== 303 || !recap.body.includes('200 sessions dont 0 sans candidat, 5000 candidats'))
          throw new Error(`${name}: unexpected ${upload.statusCode} ${recap.statusCode}`)
      }
      times.sort((a, b) => a - b)
      console.log(
        `${name}: ${(file.length / 1024).toFixed(0)} KB, 5,000 lines, step 1 → step 2 median ${times[Math.floor(RUNS / 2)]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[RUNS - 1]!.toFixed(0)})`,
      )
    }
  } finally {
    await server.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
