/**
 * A small round-robin HTTP proxy for `npm run bench -- --instances N`, in its own process: each
 * request goes to the next of BACKENDS (comma-separated base URLs), with keep-alive connections.
 * What a reverse proxy (haproxy, nginx) does in front of several instances, reduced to the part
 * the bench needs; it costs CPU on the same cores, so the bench also measures one instance behind it.
 */
import http from 'node:http'

const backends = (process.env.BACKENDS ?? '').split(',').map((url) => new URL(url))
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
let next = 0

const server = http.createServer((request, response) => {
  const backend = backends[next++ % backends.length]!
  const upstream = http.request(
    { host: backend.hostname, port: backend.port, path: request.url, method: request.method, headers: request.headers, agent },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(response)
    },
  )
  upstream.on('error', () => {
    response.writeHead(502)
    response.end()
  })
  request.pipe(upstream)
})
server.keepAliveTimeout = 30_000
server.listen(Number(process.env.PORT), '127.0.0.1')
