import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.ts'
import { build, type Teardown } from '../helper.ts'

/** One route of the app as registered (Fastify's onRoute hook), one entry per method. */
export interface AppRoute {
  method: string
  url: string
  config: {
    public?: boolean
    allowWithoutCgu?: boolean
    allowWithoutCentre?: boolean
    role?: 'admin'
    invigilator?: boolean
    openSession?: boolean
    operator?: boolean
    afterFinalisation?: boolean
  }
  /** The body schema's property names, when the route declares one (used to build a plausible form). */
  bodyFields: string[] | null
}

/**
 * Parameters of data owned by a user as well as a centre, looked up by the route itself (id + user +
 * centre): a "Créer/éditer plusieurs sessions" plan (routes/batch-import/batch-import.ts). Their isolation
 * (another user's or centre's id is a 404) is tested in test/routes/sessions/batch-import.test.ts.
 */
export const USER_SCOPED_PARAMS = ['planId'] as const

/** Parameters that scope.ts loads from the current centre: a route with one of them owns data. */
export const SCOPED_PARAMS = ['sessionId', 'candidateId', 'reportId', 'documentId', 'memberId', 'invitationId'] as const

/**
 * The app of test/helper.ts's build() (the same builder: on PostgreSQL in the PostgreSQL run), with
 * the route table collected while it registers. The sweeps are generated from this table, so new
 * routes are checked as they land.
 */
export async function buildWithRoutes(t: Teardown, overrides: Partial<Config> = {}): Promise<{ server: FastifyInstance; routes: AppRoute[]; dataDir: string }> {
  const routes: AppRoute[] = []
  const server = await build(t, overrides, {
    onRoute: (route) => {
      const body = (route.schema as { body?: { properties?: Record<string, unknown> } } | undefined)?.body
      for (const method of [route.method].flat()) {
        routes.push({
          method: String(method).toUpperCase(),
          url: route.url ?? route.path,
          config: (route.config ?? {}) as AppRoute['config'],
          bodyFields: body?.properties ? Object.keys(body.properties) : null,
        })
      }
    },
  })
  // Fastify adds HEAD for every GET: the same handler, checked through its GET.
  const own = routes.filter((r) => r.method !== 'HEAD' && !r.url.includes('*'))
  if (own.length === 0) throw new Error('The onRoute hook collected no route: the sweeps would check nothing.')
  return { server, routes: dedupe(own), dataDir: server.config.dataDir }
}

function dedupe(routes: AppRoute[]): AppRoute[] {
  const seen = new Map<string, AppRoute>()
  for (const r of routes) seen.set(`${r.method} ${r.url}`, r)
  return [...seen.values()].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method))
}

export function paramsOf(url: string): string[] {
  return [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!)
}

export function isScoped(route: AppRoute): boolean {
  return paramsOf(route.url).some((p) => (SCOPED_PARAMS as readonly string[]).includes(p))
}

/** The URL with its parameters replaced; throws on a parameter the sweeps do not know (so it gets added). */
export function fillUrl(url: string, ids: Record<string, number | string>): string {
  return url.replace(/:(\w+)/g, (_, name: string) => {
    const value = ids[name]
    if (value === undefined) throw new Error(`Route ${url}: no test value for parameter :${name} — teach the sweeps about it`)
    return encodeURIComponent(String(value))
  })
}

export function isStateChanging(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method)
}

/** Uploads are multipart; the URL map names them (`…/import`, `…/documents`). A route with no body schema may be one. */
export function isUploadRoute(route: AppRoute): boolean {
  return route.method === 'POST' && /\/(import|documents)$/.test(route.url)
}

/** A plausible value for a form field, from its name, so the request passes schema validation. */
export function plausibleValue(field: string): string {
  const name = field.toLowerCase()
  if (name === '_csrf') return ''
  if (name.includes('email')) return 'someone@example.org'
  if (name.includes('password') || name.includes('confirmation')) return 'Secret-1234-abcd'
  if (name.includes('birth') && name.includes('date')) return '13/03/1996'
  if (name.includes('date')) return '2021-01-12'
  if (name.includes('time') && !name.includes('extra')) return '10:00'
  if (name.includes('extra') || name.includes('percent')) return '33'
  if (name.includes('department') || name.includes('departement')) return '76'
  if (name.includes('question')) return '3'
  if (name.includes('code')) return 'C1'
  if (name.endsWith('id') || name.endsWith('ids')) return '1'
  if (name.includes('choice') || name.includes('choix')) return 'none'
  return 'Valeur de test'
}

export function plausibleForm(route: AppRoute): Record<string, string> {
  const form: Record<string, string> = {}
  for (const field of route.bodyFields ?? []) if (field !== '_csrf') form[field] = plausibleValue(field)
  return form
}

/** Routes of the URL map (CONTRIBUTING.md) that the sweeps expect; missing ones are reported, not silently skipped. */
export const URL_MAP: Array<[string, string]> = [
  ['GET', '/sessions'],
  ['GET', '/sessions/nouvelle'],
  ['POST', '/sessions/nouvelle'],
  ['GET', '/sessions/:sessionId'],
  ['GET', '/sessions/:sessionId/modifier'],
  ['POST', '/sessions/:sessionId/modifier'],
  ['GET', '/sessions/:sessionId/supprimer'],
  ['POST', '/sessions/:sessionId/supprimer'],
  ['GET', '/sessions/:sessionId/candidats'],
  ['GET', '/sessions/:sessionId/candidats/feuille-emargement.ods'],
  ['POST', '/sessions/:sessionId/candidats/import'],
  ['GET', '/sessions/:sessionId/candidats/nouveau'],
  ['POST', '/sessions/:sessionId/candidats/nouveau'],
  ['GET', '/sessions/:sessionId/candidats/:candidateId/modifier'],
  ['POST', '/sessions/:sessionId/candidats/:candidateId/modifier'],
  ['GET', '/sessions/:sessionId/candidats/:candidateId/supprimer'],
  ['POST', '/sessions/:sessionId/candidats/:candidateId/supprimer'],
  ['GET', '/sessions/:sessionId/impression/feuille-emargement'],
  ['GET', '/sessions/:sessionId/impression/pv-incident'],
  ['GET', '/sessions/:sessionId/impression/kit-surveillant'],
  ['GET', '/rejoindre'],
  ['POST', '/rejoindre'],
  ['POST', '/rejoindre/code'],
  ['GET', '/sessions/:sessionId/finalisation'],
  ['POST', '/sessions/:sessionId/finalisation'],
  ['GET', '/sessions/:sessionId/finalisation/candidats/:candidateId/signalement'],
  ['POST', '/sessions/:sessionId/finalisation/candidats/:candidateId/signalement'],
  ['POST', '/sessions/:sessionId/finalisation/signalements/:reportId/supprimer'],
  ['GET', '/sessions/:sessionId/finalisation/documents'],
  ['POST', '/sessions/:sessionId/finalisation/documents'],
  ['GET', '/sessions/:sessionId/finalisation/documents/:documentId'],
  ['POST', '/sessions/:sessionId/finalisation/documents/:documentId/supprimer'],
  ['GET', '/sessions/:sessionId/finalisation/confirmation'],
  ['POST', '/sessions/:sessionId/finalisation/confirmation'],
  ['GET', '/sessions/:sessionId/finalisation/recapitulatif'],
  ['GET', '/equipe'],
  ['GET', '/equipe/invitations'],
  ['POST', '/equipe/invitations'],
  ['POST', '/equipe/invitations/:invitationId/renvoyer'],
  ['POST', '/equipe/invitations/:invitationId/supprimer'],
  ['GET', '/equipe/membres/:memberId/role'],
  ['POST', '/equipe/membres/:memberId/role'],
  ['GET', '/equipe/membres/:memberId/retirer'],
  ['POST', '/equipe/membres/:memberId/retirer'],
  ['GET', '/equipe/quitter'],
  ['POST', '/equipe/quitter'],
  ['GET', '/invitation'],
  ['POST', '/invitation/compte'],
  ['POST', '/invitation/connexion'],
  ['GET', '/equipe/historique'],
  ['GET', '/mon-compte'],
  ['POST', '/mon-compte/nom'],
  ['POST', '/mon-compte/email'],
  ['POST', '/mon-compte/mot-de-passe'],
  ['POST', '/mon-compte/deconnexion-partout'],
  ['GET', '/surveillance'],
  ['POST', '/surveillance'],
  ['GET', '/sessions/:sessionId/surveillance'],
  ['GET', '/sessions/:sessionId/surveillance/liste'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/presence'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/presence/annuler'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/terminer'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/ecran-de-fin'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/signalement'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/temps'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/suspendre'],
  ['POST', '/sessions/:sessionId/surveillance/candidats/:candidateId/reprendre'],
  ['POST', '/sessions/:sessionId/surveillance/salle/suspendre'],
  ['POST', '/sessions/:sessionId/surveillance/salle/reprendre'],
  ['POST', '/sessions/:sessionId/surveillance/groupe'],
  ['GET', '/sessions/:sessionId/surveillance/candidats/:candidateId/chronologie'],
  ['GET', '/equipe/signalements'],
  ['GET', '/sessions/:sessionId/surveillance/quitter'],
  ['POST', '/sessions/:sessionId/surveillance/quitter'],
  ['GET', '/sessions/:sessionId/mot-de-passe-surveillant'],
  ['POST', '/sessions/:sessionId/mot-de-passe-surveillant'],
  ['POST', '/rejoindre/reessayer'],
  ['GET', '/sessions/import-multiple'],
  ['GET', '/sessions/import-multiple/modele.csv'],
  ['GET', '/sessions/import-multiple/modele.ods'],
  ['POST', '/sessions/import-multiple/import'],
  ['GET', '/sessions/import-multiple/:planId'],
  ['POST', '/sessions/import-multiple/:planId/confirmation'],
  ['GET', '/sessions/import-multiple/:planId/resultat'],
  ['POST', '/langue'],
  ['GET', '/connexion/oidc'],
  ['GET', '/connexion/oidc/retour'],
  ['GET', '/exploitation'],
  ['GET', '/exploitation/centres/nouveau'],
  ['POST', '/exploitation/centres/nouveau'],
  ['GET', '/exploitation/centres/:centreId/renommer'],
  ['POST', '/exploitation/centres/:centreId/renommer'],
  ['POST', '/exploitation/centres/:centreId/desactiver'],
  ['POST', '/exploitation/centres/:centreId/reactiver'],
  ['GET', '/exploitation/historique'],
  ['GET', '/donnees-personnelles'],
  ['GET', '/accessibilite'],
  ['GET', '/equipe/export-donnees.ods'],
  ['POST', '/sessions/:sessionId/conservation'],
  ['GET', '/sessions/:sessionId/candidats/:candidateId/effacer'],
  ['POST', '/sessions/:sessionId/candidats/:candidateId/effacer'],
]

/** Routes an invigilator access may reach (config `invigilator: true`): the Espace surveillant and the kit. */
export const INVIGILATOR_ALLOWED = [/^\/sessions\/:sessionId\/surveillance(\/.*)?$/, /^\/sessions\/:sessionId\/impression\/kit-surveillant$/]

/** Routes that may be reached without logging in (issue 7: login, reset, setup, candidate page, health, static). */
export const PUBLIC_ALLOWED = [
  /^\/$/,
  /^\/connexion$/,
  /^\/connexion\/oidc(\/retour)?$/,
  /^\/mot-de-passe-oublie$/,
  /^\/mot-de-passe\/nouveau$/,
  /^\/installation$/,
  /^\/rejoindre(\/.*)?$/,
  /^\/invitation(\/(compte|connexion))?$/,
  /^\/surveillance$/,
  /^\/sante$/,
  /^\/langue$/,
  /^\/public\//,
  /^\/donnees-personnelles$/,
  /^\/accessibilite$/,
]
/** Routes only a centre's administrators may use (issue 12): every other route is open to every member. */
export const ADMIN_ONLY = [
  /^\/equipe\/signalements$/,
  /^\/equipe\/invitations(\/.*)?$/,
  /^\/equipe\/membres\/.*$/,
  /^\/equipe\/historique$/,
  /^\/equipe\/consignes$/,
  /^\/equipe\/export-donnees\.ods$/,
  /^\/sessions\/:sessionId\/conservation$/,
  /^\/sessions\/:sessionId\/candidats\/:candidateId\/effacer$/,
]

/** Routes only operators may use (issue 30, config `operator: true`): the console. Members, administrators included, get 403. */
export const OPERATOR_ONLY = [/^\/exploitation(\/.*)?$/]

/** Routes a user who has not accepted the terms may reach: the terms and logout. */
export const WITHOUT_CGU_ALLOWED = [/^\/cgu$/, /^\/deconnexion$/]
