import type { Db } from '../../db/database.ts'
import { writeTransaction } from '../../db/transaction.ts'
import { type Msg, msg } from '../../i18n/index.ts'
import { nowTimestamp, toTimestamp } from '../../lib/timestamps.ts'
import { type Mail, type MailLog, recipientRef } from '../mail/index.ts'
import { convocationContent, convocationText } from './convocation.ts'
import { nextPendingConvocation } from './convocations.repository.ts'

/** Tries of one message when the server could not be reached before the message was handed over. */
export const MAX_ATTEMPTS = 3
/**
 * A row still 'sending' this long after it was taken belongs to a sender that died (a crash, a
 * restart): nodemailer gives up on a send well before (connection 10 s, greeting 10 s, socket 30 s).
 */
export const STALE_SENDING_MS = 2 * 60_000
/** How often an idle sender looks for work queued by another process. */
const IDLE_POLL_MS = 5_000

export interface ConvocationSender {
  /** Work was queued: start now instead of at the next poll. */
  wake(): void
  /** Resolves once no convocation is waiting (for tests and shutdown). */
  idle(): Promise<void>
  /** Stops after the message in flight (if any). */
  stop(): Promise<void>
}

export interface SenderOptions {
  db: Db
  /** Sends one mail and throws the SMTP error (the mail queue's `sendNow`: one way of sending mail). */
  send: (mail: Mail) => Promise<void>
  log: MailLog
  publicUrl: string
  perMinute: number
  staleAfterMs?: number
  /** Poll for work (false in tests that drive `wake()` themselves). */
  poll?: boolean
}

/** An e-mail address blanked out of a server's answer (servers often echo the recipient). */
function redact(text: string): string {
  return text.replace(/[^\s<>()[\]",;:@]+@[^\s<>()[\]",;:@]+/g, '[adresse]').slice(0, 200)
}

/** Commands answered before the message is handed over: a temporary refusal there cannot have sent it. */
const BEFORE_DATA = new Set(['CONN', 'EHLO', 'HELO', 'LHLO', 'STARTTLS', 'MAIL FROM', 'RCPT TO'])
/** The connection could not even be opened (nodemailer reports a drop mid-message as 'CONN' too, so the message decides). */
const NOT_CONNECTED = /ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|Connection timeout|Greeting never received/i

/**
 * What a failed send means: `retry` only when the message surely did not leave (the connection
 * could not be opened, or a temporary 4xx answer before DATA); otherwise the row fails with the
 * error in plain words, and a person decides whether to resend ("Renvoyer"): nobody gets it twice.
 */
export function classifyError(err: unknown): { retry: boolean; message: Msg } {
  const e = (err ?? {}) as { code?: string; command?: string; responseCode?: number; response?: string; message?: string }
  const detail = redact(String(e.response ?? e.message ?? err))
  const code = e.responseCode ?? 0
  if (e.code === 'EAUTH') return { retry: false, message: msg('convocations.error.auth') }
  if (code >= 500) {
    return {
      retry: false,
      message:
        e.command === 'RCPT TO' || e.code === 'EENVELOPE' ? msg('convocations.error.refused', { detail }) : msg('convocations.error.rejected', { detail }),
    }
  }
  if (code >= 400) return { retry: BEFORE_DATA.has(String(e.command)), message: msg('convocations.error.rejected', { detail }) }
  if (e.code === 'EDNS' || NOT_CONNECTED.test(String(e.message ?? ''))) return { retry: true, message: msg('convocations.error.connection') }
  return { retry: false, message: msg('convocations.error.connection') }
}

/**
 * The background sender of convocations: takes the next waiting row, centres served in turn and
 * each centre's oldest first (marked 'sending' in its own
 * transaction, so two senders never take the same), sends it, and marks it 'sent' or 'failed' in
 * another. A crash between the two leaves the row 'sending': later it is marked failed
 * ("interrompu"), never sent again by itself. At most `perMinute` messages a minute.
 */
export function createConvocationSender(options: SenderOptions): ConvocationSender {
  const { db, log } = options
  const gapMs = Math.ceil(60_000 / Math.max(1, options.perMinute))
  const staleAfterMs = options.staleAfterMs ?? STALE_SENDING_MS
  let stopped = false
  let running: Promise<void> | null = null
  let again = false
  let timer: NodeJS.Timeout | null = null
  let idleWaiters: Array<() => void> = []
  let lastSentAt = 0

  async function recoverStale(): Promise<void> {
    const before = toTimestamp(Date.now() - staleAfterMs)
    await writeTransaction(db, async (trx) => {
      await trx
        .updateTable('convocation_mail')
        .set({ status: 'failed', error: JSON.stringify(msg('convocations.error.interrupted')) })
        .where('status', '=', 'sending')
        .where('claimed_at', '<=', before)
        .execute()
    })
  }

  /** The centre served last: the next claim starts after it (round-robin, `nextPendingConvocation`). */
  let lastCentreId: number | null = null

  /** Takes the next waiting row, centres in turn (each centre's oldest first), or null. */
  async function claim(): Promise<number | null> {
    for (;;) {
      const next = await nextPendingConvocation(db, lastCentreId)
      if (!next) return null
      const taken = await writeTransaction(db, async (trx) => {
        const result = await trx
          .updateTable('convocation_mail')
          .set((eb) => ({ status: 'sending', claimed_at: nowTimestamp(), attempts: eb('attempts', '+', 1) }))
          .where('id', '=', next.id)
          .where('status', '=', 'pending')
          .executeTakeFirst()
        return Number(result.numUpdatedRows) === 1
      })
      if (taken) {
        lastCentreId = next.centreId
        return next.id
      }
    }
  }

  async function buildMail(id: number): Promise<{ mail: Mail; attempts: number } | null> {
    const row = await db
      .selectFrom('convocation_mail')
      .innerJoin('candidate', 'candidate.id', 'convocation_mail.candidate_id')
      .innerJoin('certification_session', 'certification_session.id', 'convocation_mail.session_id')
      .innerJoin('centre', 'centre.id', 'certification_session.centre_id')
      .select([
        'convocation_mail.email',
        'convocation_mail.attempts',
        'convocation_mail.public_url',
        'candidate.id as candidate_id',
        'candidate.first_name',
        'candidate.last_name',
        'candidate.extra_time_percentage',
        'candidate.convocation_language',
        'certification_session.id as session_id',
        'certification_session.date',
        'certification_session.start_time',
        'certification_session.site_name',
        'certification_session.room',
        'certification_session.test_duration_minutes',
        'centre.name as centre_name',
        'centre.candidate_instructions',
      ])
      .where('convocation_mail.id', '=', id)
      .executeTakeFirst()
    if (!row) return null
    const content = convocationContent({
      centreName: row.centre_name,
      instructions: row.candidate_instructions,
      publicUrl: row.public_url ?? options.publicUrl,
      session: {
        id: row.session_id,
        date: row.date,
        start_time: row.start_time,
        site_name: row.site_name,
        room: row.room,
        test_duration_minutes: row.test_duration_minutes,
      },
      candidate: {
        id: row.candidate_id,
        first_name: row.first_name,
        last_name: row.last_name,
        extra_time_percentage: row.extra_time_percentage,
        convocation_language: row.convocation_language,
      },
    })
    return { mail: { to: row.email, subject: content.subject, text: convocationText(content) }, attempts: row.attempts }
  }

  async function finish(id: number, outcome: { sent: true } | { sent: false; retry: boolean; message: Msg }): Promise<void> {
    await writeTransaction(db, async (trx) => {
      const update = trx.updateTable('convocation_mail').where('id', '=', id).where('status', '=', 'sending')
      if (outcome.sent) await update.set({ status: 'sent', sent_at: nowTimestamp(), error: null }).execute()
      else if (outcome.retry) await update.set({ status: 'pending', claimed_at: null, error: JSON.stringify(outcome.message) }).execute()
      else await update.set({ status: 'failed', error: JSON.stringify(outcome.message) }).execute()
    })
  }

  let wakePace: (() => void) | null = null
  /** Waits for the rate's gap since the last message (cut short by stop()). */
  async function pace(): Promise<void> {
    const wait = lastSentAt + gapMs - Date.now()
    if (wait <= 0 || stopped) return
    await new Promise<void>((resolve) => {
      const timeout = setTimeout(resolve, wait)
      timeout.unref()
      wakePace = () => {
        clearTimeout(timeout)
        resolve()
      }
    })
    wakePace = null
  }

  async function sendOne(id: number): Promise<void> {
    const built = await buildMail(id)
    if (!built) return // the candidate or the session was deleted meanwhile (the row went with them)
    lastSentAt = Date.now()
    try {
      await options.send(built.mail)
      await finish(id, { sent: true })
    } catch (err) {
      const { retry, message } = classifyError(err)
      const again = retry && built.attempts < MAX_ATTEMPTS
      log.error({ recipient: recipientRef(built.mail.to), error: redact(String((err as Error)?.message ?? err)), retry: again }, 'Convocation non envoyée')
      await finish(id, { sent: false, retry: again, message })
    }
  }

  async function loop(): Promise<void> {
    try {
      do {
        again = false
        await recoverStale()
        for (;;) {
          // The gap first, then the claim: a stop during the wait leaves the row waiting, not taken.
          await pace()
          if (stopped) break
          const id = await claim()
          if (id === null) break
          await sendOne(id)
        }
      } while (again && !stopped)
    } catch (err) {
      // The database was busy or gone: the next wake-up or poll tries again.
      log.error({ error: String((err as Error)?.message ?? err) }, 'Envoi des convocations interrompu')
    } finally {
      running = null
      const waiters = idleWaiters
      idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  function wake(): void {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = loop()
  }

  function schedulePoll(): void {
    if (stopped || options.poll === false) return
    timer = setTimeout(() => {
      wake()
      schedulePoll()
    }, IDLE_POLL_MS)
    timer.unref()
  }
  schedulePoll()

  return {
    wake,
    idle() {
      if (!running) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      wakePace?.()
      await running
    },
  }
}
