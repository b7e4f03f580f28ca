import type { FastifyRequest } from 'fastify'
import { publicUrlFor } from '../../lib/public-url.ts'

/**
 * The address given to candidates and colleagues in what this request prints or mails: PUBLIC_URL
 * when set, else the origin the staff member is browsing.
 */
export function publicUrlOf(request: FastifyRequest): string {
  return publicUrlFor(request.server.config, request)
}
