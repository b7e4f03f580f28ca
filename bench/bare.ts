// The yardstick: bare Fastify, one route answering `ok`, in its own process like the app.
import Fastify from 'fastify'

const server = Fastify({ logger: false })
server.get('/', async () => 'ok')
await server.listen({ port: Number(process.env.PORT), host: '127.0.0.1' })
