import type { Kysely } from 'kysely'

/**
 * How the e-mail of a pending invitation went, written by the mail queue's outcome (the request
 * that invites no longer waits for SMTP), so the Équipe page can tell an administrator that the
 * server refused it:
 * - `mail_status`: 'queued' (waiting in the queue), 'sent' (SMTP accepted it) or 'failed'; null
 *   when no mail is sent (no SMTP: the link is shown on screen) and for invitations made before.
 * - `mail_error`: SMTP's answer when it failed (addresses blanked), else null.
 * - `mail_status_at`: when that status was reached (ISO-8601 UTC text, like every `*_at`).
 * Kysely's schema builder only: the same migration runs on SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('invitation').addColumn('mail_status', 'text').execute()
  await db.schema.alterTable('invitation').addColumn('mail_error', 'text').execute()
  await db.schema.alterTable('invitation').addColumn('mail_status_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['mail_status_at', 'mail_error', 'mail_status']) {
    await db.schema.alterTable('invitation').dropColumn(column).execute()
  }
}
