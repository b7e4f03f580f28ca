import t from 'tap'
import { nextPendingConvocation } from '../../../src/features/convocations/convocations.repository.ts'
import { queueConvocations } from '../../../src/features/convocations/convocations.service.ts'
import { createConvocationSender } from '../../../src/features/convocations/sender.ts'
import type { Mail } from '../../../src/features/mail/mail-queue.ts'
import { changeByTest, createCandidate, createSession } from '../../factories.ts'
import { build, createMember } from '../../helper.ts'

type Server = Awaited<ReturnType<typeof build>>
const silent = { info() {}, error() {} }

/** A session of `count` candidates with an address, all queued (as "Envoyer les convocations" does). */
async function queued(server: Server, centre: string, prefix: string, count: number) {
  const { centreId } = await createMember(server, { centre })
  const session = await createSession(server.db, centreId)
  for (let i = 1; i <= count; i++) await createCandidate(server.db, session.id, { last_name: `${prefix}${i}`, email: `${prefix}${i}@example.org` })
  const result = await queueConvocations(server.db, session, null, changeByTest(centreId))
  if (result.kind !== 'queued' || result.count !== count) throw new Error(`queueing failed: ${JSON.stringify(result)}`)
  return centreId
}

/** Runs a sender over the queue until nothing waits; the order in which the recipients were sent. */
async function sendAll(server: Server): Promise<string[]> {
  const sent: string[] = []
  const sender = createConvocationSender({
    db: server.db,
    send: async (mail: Mail) => {
      sent.push(mail.to)
    },
    log: silent,
    publicUrl: 'https://certif.lycee.test',
    perMinute: 6_000_000,
    poll: false,
  })
  // The sender's pause between two messages does not hold the process open (unref): this does, until it is done.
  const keepAlive = setInterval(() => {}, 60_000)
  sender.wake()
  await sender.idle()
  await sender.stop()
  clearInterval(keepAlive)
  return sent
}

t.test('centres are served in turn: a small centre’s 20 convocations are not stuck behind another’s 200 (issue 23, item 10)', async (t) => {
  const server = await build(t)
  await queued(server, 'Grand lycée', 'grand', 200)
  await queued(server, 'Petit collège', 'petit', 20)
  const sent = await sendAll(server)
  t.equal(sent.length, 220, 'everything leaves')
  const small = sent.flatMap((to, i) => (to.startsWith('petit') ? [i] : []))
  t.equal(small.length, 20)
  t.ok(small.at(-1)! < 40, `the small centre's last convocation is among the first 40 sent (position ${small.at(-1)! + 1}), not after the 200`)
  t.same(
    sent.slice(0, 6).map((to) => to.replace(/\d+@.*/, '')),
    ['grand', 'petit', 'grand', 'petit', 'grand', 'petit'],
    'one each in turn',
  )
  const order = (prefix: string) => sent.filter((to) => to.startsWith(prefix)).map((to) => Number(/\d+/.exec(to)![0]))
  t.same(
    order('petit'),
    [...Array(20).keys()].map((i) => i + 1),
    'each centre’s own mail oldest first',
  )
  t.same(
    order('grand'),
    [...Array(200).keys()].map((i) => i + 1),
  )
})

t.test('nextPendingConvocation: after a centre, the next centre with mail waiting, else back to the first', async (t) => {
  const server = await build(t)
  const a = await queued(server, 'Centre A', 'a', 2)
  const b = await queued(server, 'Centre B', 'b', 1)
  const c = await queued(server, 'Centre C', 'c', 1)
  t.equal((await nextPendingConvocation(server.db, null))?.centreId, a, 'from the start: the first centre')
  t.equal((await nextPendingConvocation(server.db, a))?.centreId, b)
  t.equal((await nextPendingConvocation(server.db, b))?.centreId, c)
  t.equal((await nextPendingConvocation(server.db, c))?.centreId, a, 'wraps round')
  await server.db.updateTable('convocation_mail').set({ status: 'sent' }).where('email', 'like', 'b%').execute()
  t.equal((await nextPendingConvocation(server.db, a))?.centreId, c, 'a centre with nothing waiting is skipped')
  await server.db.updateTable('convocation_mail').set({ status: 'sent' }).execute()
  t.equal(await nextPendingConvocation(server.db, a), null, 'nothing waits')
})
