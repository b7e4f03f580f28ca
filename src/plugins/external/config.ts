import fp from 'fastify-plugin'
import type { Config } from '../../config.ts'
import { prepareDataDir } from '../../data-dir.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

/**
 * The checked settings (src/config.ts), once DATA_DIR is ready: folders and files private, cookie
 * secret read or created (src/data-dir.ts). Every other plugin depends on this one.
 */
export default fp<{ config: Config }>(
  async (app, opts) => {
    const { config, warnings } = prepareDataDir(opts.config)
    for (const warning of warnings) app.log.warn(warning)
    app.decorate('config', config)
  },
  { name: 'config' },
)
