import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { isFinalised } from '../../features/sessions/still-open.ts'
import { isLocale, type Msg, msg, translator } from '../../i18n/index.ts'
import { formattersFor } from '../../lib/format.ts'
import { isLoopbackUrl } from '../../lib/public-url.ts'
import { csrfUserInfo } from '../external/csrf.ts'
import { safeRedirect } from './auth.ts'
import { publicUrlOf } from './public-url.ts'

export type FlashType = 'success' | 'error' | 'warning' | 'info'
export interface Flash {
  type: FlashType
  message: Msg
  /** Extra lines under the message (e.g. the warnings of an import). */
  details?: Msg[]
}

// The longest name the flash cookie can have (with SECURE_COOKIES): its size counts too.
const FLASH_COOKIE_NAME_BYTES = '__Host-certisalle_flash'.length
// A few lines under the message are enough to read; the rest is summed up as "… et N autres.".
const MAX_FLASH_DETAILS = 8
/**
 * Browsers drop a cookie over 4,096 bytes (name and value), and with it the message: the signed,
 * encoded cookie is kept under this, whatever the lines hold (long French names with accents).
 */
export const MAX_FLASH_COOKIE_BYTES = 3800

/** JSON in base64url: accents and quotes cost 4/3 of their UTF-8 bytes, not 3 to 6 as URL-encoded. */
function encodeFlash(flash: Flash): string {
  return Buffer.from(JSON.stringify(flash), 'utf8').toString('base64url')
}

function decodeFlash(value: string): Flash | null {
  try {
    const flash = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flash
    return flash && typeof flash === 'object' && flash.message ? flash : null
  } catch {
    return null
  }
}

/**
 * The flash as a signed cookie value that fits in MAX_FLASH_COOKIE_BYTES once URL-encoded (the
 * most the cookie serializer can make of it): detail lines are dropped from the end and counted
 * in "… et N autres." until it does.
 */
export function fittedFlashValue(flash: Flash, sign: (value: string) => string, maxBytes = MAX_FLASH_COOKIE_BYTES): string {
  const details = flash.details ?? []
  const fits = (value: string) => FLASH_COOKIE_NAME_BYTES + 1 + Buffer.byteLength(encodeURIComponent(value)) <= maxBytes
  for (let kept = Math.min(details.length, MAX_FLASH_DETAILS); kept >= 0; kept--) {
    const dropped = details.length - kept
    const shown = dropped ? [...details.slice(0, kept), msg('flash.more', { count: dropped })] : details
    const value = sign(encodeFlash({ type: flash.type, message: flash.message, ...(shown.length ? { details: shown } : {}) }))
    if (fits(value)) return value
  }
  // Only a message far longer than any of ours gets here: it is kept without its details.
  return sign(encodeFlash({ type: flash.type, message: flash.message }))
}

/**
 * Where "Français / English" brings back: this page; for a page answering a POST (a form shown
 * again with its errors), the page the form was on, when the browser says it (same host).
 */
function returnPath(request: FastifyRequest): string {
  if (request.method === 'GET') return safeRedirect(request.url, '/')
  const referer = request.headers.referer
  if (!referer) return '/'
  try {
    const url = new URL(referer)
    return url.host === request.headers.host ? safeRedirect(`${url.pathname}${url.search}`, '/') : '/'
  } catch {
    return '/'
  }
}

/**
 * A large page goes out as UTF-8 bytes encoded at once (Buffer.from, simdutf) rather than as a
 * string Node transcodes while writing it: our French text (’, —, the narrow no-break space of
 * numbers) makes the whole page a two-byte string, and for the 200-row lists the bytes are about
 * half as costly to send (measured with Fastify alone: 200 KB, 1,660 → 2,560 req/s). A small page
 * is cheaper as a string.
 */
const ENCODE_FROM_CHARS = 16 * 1024
export function encodePage(html: string): string | Buffer {
  return html.length >= ENCODE_FROM_CHARS ? Buffer.from(html, 'utf8') : html
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Renders views/<template>.eta with the locals every page needs (t and format in the request's
     * language, isFinalised, csrf, user, centre, flash). `data.locale` renders one page in another language
     * (the official documents: French unless asked otherwise).
     */
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
      // Signed here (not with `signed: true`) so that the size checked is the size sent.
      const value = fittedFlashValue({ type, message, details }, (v) => app.signCookie(v))
      return this.setCookie(app.cookieNames.flash, value, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        path: '/',
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
        if (unsigned.valid && unsigned.value) flash = decodeFlash(unsigned.value)
        this.clearCookie(app.cookieNames.flash, { path: '/' })
      }
      let csrfToken: string | undefined
      const reply = this
      if (statusCode) this.code(statusCode)
      this.header('Cache-Control', 'no-store')
      const locale = isLocale(data.locale) ? data.locale : request.locale
      const publicUrl = publicUrlOf(request)
      const html = await this.viewAsync(template, {
        t: translator(locale),
        format: formattersFor(locale),
        // "Finalised?" of a session row, the one rule (src/features/sessions/still-open.ts) for badges too.
        isFinalised,
        locale,
        uiLocale: request.locale,
        csrfToken: () => (csrfToken ??= reply.generateCsrf({ userInfo: csrfUserInfo(request) })),
        user: request.user,
        centre: request.centre,
        centres: request.centres ?? [],
        isOperator: request.isOperator,
        flash,
        currentPath: request.url,
        returnPath: returnPath(request),
        publicUrl,
        publicUrlLoopback: isLoopbackUrl(publicUrl),
        ...data,
      })
      return this.send(encodePage(html))
    })
  },
  { name: 'render', dependencies: ['view', 'cookie', 'csrf', 'locale'] },
)
