import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { GUI_CACHE_CONTROL, GUI_CONTENT_SECURITY_POLICY } from './constants.js'
import type { GuiAssets } from './load-gui-assets.js'

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', GUI_CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cache-control', GUI_CACHE_CONTROL)
}

function jsonError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return securityHeaders(reply)
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ code, message }))
}

/**
 * Adds the GUI routes to the API's fastify instance: `GET /` (the page) and `GET /gui/<file>` (its
 * script and stylesheet). They need no token: the files hold no data, and the page asks for the token
 * when the API wants one. Every answer carries a strict Content-Security-Policy and `no-cache` with an
 * ETag (304 on `If-None-Match`).
 */
export function registerGuiRoutes(app: FastifyInstance, assets: GuiAssets): void {
  const serve = (name: string, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (assets.error !== undefined) return jsonError(reply, 503, assets.error.code, assets.error.message)
    const file = assets.get(name)
    if (file === undefined) return jsonError(reply, 404, 'NOT_FOUND', 'no such GUI file')
    securityHeaders(reply).header('etag', file.etag)
    const match = request.headers['if-none-match']
    if (typeof match === 'string' && match.split(',').some((t) => t.trim() === file.etag)) {
      return reply.code(304).send()
    }
    return reply.type(file.contentType).send(file.body)
  }
  app.route({
    method: ['GET', 'HEAD'],
    url: '/',
    handler: (request, reply) => serve('index.html', request, reply),
  })
  app.route<{ Params: { file: string } }>({
    method: ['GET', 'HEAD'],
    url: '/gui/:file',
    handler: (request, reply) => serve(request.params.file, request, reply),
  })
}
