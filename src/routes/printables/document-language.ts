import type { FastifyRequest } from 'fastify'
import { documentLocale } from '../../i18n/index.ts'

/**
 * The language of an official document's page (attendance sheet, PV d'incident, kit, convocations):
 * French by default, English with `?langue=en`; `otherLanguageUrl` is the print page's link to the
 * other version, keeping the page's other query parameters (two per page, one candidate).
 */
export function documentLanguage(request: FastifyRequest) {
  const locale = documentLocale(request.query)
  const [path = '', search = ''] = request.url.split('?')
  const query = new URLSearchParams(search)
  if (locale === 'fr') query.set('langue', 'en')
  else query.delete('langue')
  const rest = query.toString()
  return { locale, otherLanguageUrl: rest ? `${path}?${rest}` : path }
}
