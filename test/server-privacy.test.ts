import t from 'tap'
import { createCandidate, createSession } from './factories.ts'
import { prepareDataDir, startServer } from './lib/server-process.ts'

// Issue 26: in production without PUBLIC_URL the log says once what will be printed and mailed;
// the retention purge runs at start (then daily).
t.test('production without PUBLIC_URL: one warning at start; with it, none', async (t) => {
  const env = await prepareDataDir(t, 'certisalle-server-privacy-')
  const session = await createSession(env.db, env.centreId, { finalised_at: '2020-01-01T00:00:00.000Z' })
  await createCandidate(env.db, session.id, { last_name: 'Ancienne' })
  await env.db.destroy()
  const without = await startServer(t, env.dataDir, { PUBLIC_URL: '', LOG_LEVEL: 'info' })
  await without.kill()
  const warnings = without.output().match(/PUBLIC_URL n’est pas réglé/g) ?? []
  t.equal(warnings.length, 1, 'said once')
  t.match(without.output(), /l’adresse utilisée par le membre du personnel dans son navigateur/)
  t.match(without.output(), /Durée de conservation \(12 mois\) : 1 session\(s\) effacée\(s\)/, 'the purge ran at start')

  const withUrl = await startServer(t, env.dataDir, { PUBLIC_URL: 'https://certif.lycee.fr', LOG_LEVEL: 'info', RETENTION_MONTHS: '24' })
  await withUrl.kill()
  t.notMatch(withUrl.output(), /PUBLIC_URL n’est pas réglé/)
  t.match(withUrl.output(), /Durée de conservation \(24 mois\) : 0 session\(s\) effacée\(s\)/, 'RETENTION_MONTHS read; nothing left to erase')
})
