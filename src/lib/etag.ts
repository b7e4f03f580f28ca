import { hash } from 'node:crypto'

/**
 * A weak entity tag for what a page shows: the digest of the data it is rendered from (JSON;
 * functions and undefined values left out, as JSON leaves them), so that two renders of the same
 * data get the same tag without rendering either. The caller leaves out what changes on every
 * request without changing what is shown (a "list up to date at" time).
 */
export function weakTag(...parts: unknown[]): string {
  let text = ''
  for (const part of parts) text += `${JSON.stringify(part) ?? 'undefined'}\u0000`
  return `W/"${hash('sha256', text, 'base64url').slice(0, 22)}"`
}

/** True when the request's If-None-Match names `tag` (one of a list, or *). */
export function matchesTag(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim())
    .some((t) => t === '*' || t === tag || `W/${t}` === tag)
}
