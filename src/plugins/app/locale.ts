import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { DEFAULT_LOCALE, isLocale, type Locale, localeFromAcceptLanguage } from '../../i18n/index.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The language of this request's pages and e-mails: the "Français / English" cookie, else Accept-Language, else French. */
    locale: Locale
  }
  interface FastifyReply {
    /** Remembers the language for a year (the header's "Français / English" button). */
    rememberLocale(locale: Locale): FastifyReply
  }
}

export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60

export default fp(
  async (app) => {
    app.decorateRequest('locale', DEFAULT_LOCALE)
    app.addHook('onRequest', async (request) => {
      const chosen = request.cookies[app.cookieNames.locale]
      request.locale = isLocale(chosen) ? chosen : localeFromAcceptLanguage(request.headers['accept-language'])
    })
    app.decorateReply('rememberLocale', function (this: FastifyReply, locale: Locale) {
      return this.setCookie(app.cookieNames.locale, locale, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.secureCookies,
        path: '/',
        maxAge: LOCALE_COOKIE_MAX_AGE,
      })
    })
  },
  { name: 'locale', dependencies: ['cookie', 'config'] },
)
