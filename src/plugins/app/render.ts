import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { type Msg, t } from '../../i18n/index.ts'
import * as format from '../../lib/format.ts'
import { csrfUserInfo } from '../external/csrf.ts'

export type FlashType = 'success' | 'error' | 'warning' | 'info'
export interface Flash {
  type: FlashType
  message: Msg
  /** Extra lines under the message (e.g. the warnings of an import). */
  details?: Msg[]
}

// Keeps the flash cookie under the 4 KB browsers accept (URL-encoded long lines add up fast):
// the rest is summed up as "… et N autres.".
const MAX_FLASH_DETAILS = 8

declare module 'fastify' {
  interface FastifyReply {
    /** Renders views/<template>.eta with the locals every page needs (t, csrf, user, centre, flash). */
    page(template: string, data?: Record<string, unknown>, statusCode?: number): Promise<FastifyReply>
    /** A message shown once, on the next page rendered (after a 303). */
    flash(type: FlashType, message: Msg, details?: Msg[]): FastifyReply
    /** 303 to a local path, the answer to every successful form. */
    seeOther(url: string): FastifyReply
  }
}

export default fp(
  async (app) => {
    app.decorateReply('flash', function (this: FastifyReply, type: FlashType, message: Msg, details?: Msg[]) {
      let shown = details
      if (details && details.length > MAX_FLASH_DETAILS) {
        shown = [...details.slice(0, MAX_FLASH_DETAILS), { key: 'flash.more', params: { count: details.length - MAX_FLASH_DETAILS } }]
      }
      const flash: Flash = { type, message, details: shown }
      return this.setCookie(app.cookieNames.flash, JSON.stringify(flash), {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        path: '/',
        signed: true,
      })
    })

    app.decorateReply('seeOther', function (this: FastifyReply, url: string) {
      return this.redirect(url, 303)
    })

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}, statusCode?: number) {
      const request = this.request
      let flash: Flash | null = null
      const raw = request.cookies[app.cookieNames.flash]
      if (raw) {
        const unsigned = request.unsignCookie(raw)
        if (unsigned.valid && unsigned.value) {
          try {
            flash = JSON.parse(unsigned.value) as Flash
          } catch {
            flash = null
          }
        }
        this.clearCookie(app.cookieNames.flash, { path: '/' })
      }
      let csrfToken: string | undefined
      const reply = this
      if (statusCode) this.code(statusCode)
      this.header('Cache-Control', 'no-store')
      return this.view(template, {
        t,
        format,
        csrfToken: () => (csrfToken ??= reply.generateCsrf({ userInfo: csrfUserInfo(request) })),
        user: request.user,
        centre: request.centre,
        centres: request.centres ?? [],
        flash,
        currentPath: request.url,
        publicUrl: app.config.publicUrl,
        ...data,
      })
    })
  },
  { name: 'render', dependencies: ['view', 'cookie', 'csrf'] },
)
