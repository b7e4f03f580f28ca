import { loadArgon2 } from '../../lib/lazy-modules.ts'

// argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const

export const MIN_PASSWORD_LENGTH = 12

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2()
  return hash(password, options)
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const { verify } = await loadArgon2()
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

/** A hash of nothing in particular, verified when the e-mail is unknown so both paths take as long. */
let decoyHash: Promise<string> | undefined
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword('certisalle-decoy-password')
  return decoyHash
}
