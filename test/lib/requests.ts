import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Client } from '../helper.ts'
import { type AppRoute, isUploadRoute, plausibleForm } from './routes.ts'

/** What to put in `_csrf`: the client's own token, nothing at all, or a given (foreign) token. */
export type CsrfMode = { kind: 'own' } | { kind: 'none' } | { kind: 'token'; token: string }

/** A small but real .ods-looking upload (a zip), enough to get past any "no file chosen" check. */
export const TINY_UPLOAD = Buffer.from('504b0506000000000000000000000000000000000000', 'hex')

/**
 * Sends one request per body shape the route could accept: a urlencoded form built from its body
 * schema, and for upload routes a multipart form (`fichier`, `commentaire`) as well.
 */
export async function send(
  client: Client,
  route: AppRoute,
  url: string,
  csrf: CsrfMode,
  headers: Record<string, string> = {},
): Promise<Array<{ label: string; response: LightMyRequestResponse }>> {
  const token = csrf.kind === 'own' ? client.csrf : csrf.kind === 'token' ? csrf.token : null
  if (route.method === 'GET' || route.method === 'HEAD') {
    return [{ label: `${route.method} ${url}`, response: await client.request({ method: route.method, url, headers }) }]
  }
  const out: Array<{ label: string; response: LightMyRequestResponse }> = []
  const form = new URLSearchParams()
  if (token !== null) form.append('_csrf', token)
  for (const [k, v] of Object.entries(plausibleForm(route))) form.append(k, v)
  out.push({
    label: `${route.method} ${url} (urlencoded, csrf: ${csrf.kind})`,
    response: await client.request({
      method: route.method as InjectOptions['method'],
      url,
      payload: form.toString(),
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    }),
  })
  if (isUploadRoute(route)) {
    const data = new FormData()
    if (token !== null) data.append('_csrf', token)
    data.append('commentaire', 'Document de test')
    data.append('fichier', new Blob([TINY_UPLOAD], { type: 'application/vnd.oasis.opendocument.spreadsheet' }), 'liste.ods')
    out.push({
      label: `${route.method} ${url} (multipart, csrf: ${csrf.kind})`,
      response: await client.request({ method: route.method as InjectOptions['method'], url, headers, payload: data as unknown as InjectOptions['payload'] }),
    })
  }
  return out
}
