import type { FastifyInstance } from 'fastify'
import { isLocale } from '../../i18n/index.ts'
import { formSchema, readFields } from '../../lib/forms.ts'
import { safeRedirect } from '../../plugins/app/auth.ts'

const fields = ['langue', 'retour'] as const

/**
 * "Français / English": a form button on every page (JavaScript off). Public, so that the login,
 * candidate and invigilator pages have it too; CSRF-checked like every POST. Back to the page it
 * was pressed on, a path of this site only.
 */
export default async function languageRoutes(app: FastifyInstance) {
  app.post('/langue', { config: { public: true }, schema: { body: formSchema(fields) } }, async (request, reply) => {
    const { langue, retour } = readFields(request.body, fields)
    if (isLocale(langue)) reply.rememberLocale(langue)
    return reply.seeOther(safeRedirect(retour, '/'))
  })
}
