// Web mode: the contract over HTTP (requests) and WebSocket (events) on 127.0.0.1 only,
// behind a random per-launch token. The renderer's lib/api.ts speaks exactly this protocol.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContractError } from '../../shared/contract';
import { handleApi, ProjectTracker, type ApiContext, type BridgeEngine } from './api';
import { createEventHub, rejectUpgrade } from './events';
import { sendError } from './respond';
import { bearerToken, hostAllowed, newToken, originAllowed, setCommonHeaders, tokenMatches } from './security';
import { serveStatic } from './static-files';
import { serveThumb } from './thumbs';

export interface BridgeOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  engine: BridgeEngine;
  /** The built renderer (renderer/dist). */
  staticDir: string;
  token?: string;
  version?: string;
}

export interface Bridge {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const token = opts.token ?? newToken();
  const project = new ProjectTracker(opts.engine);
  const api: ApiContext = { engine: opts.engine, version: opts.version ?? packageVersion(), project };
  const hub = createEventHub(opts.engine, (event, payload) => {
    if (event === 'project.changed') project.set((payload as { path: string | null }).path);
  });
  let port = 0;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCommonHeaders(res);
    if (!hostAllowed(req, port)) return sendError(res, new ContractError('UNAUTHORIZED', 'Unexpected Host header'), 403);
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, bearerToken(req))) return sendError(res, new ContractError('UNAUTHORIZED', 'Missing or wrong token'));
      return handleApi(req, res, url.pathname.slice('/api/'.length), api);
    }
    if (url.pathname.startsWith('/thumb/')) {
      if (!tokenMatches(token, url.searchParams.get('token'))) return sendError(res, new ContractError('UNAUTHORIZED', 'Missing or wrong token'));
      return serveThumb(res, url.pathname.slice('/thumb/'.length), await project.current());
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(res, opts.staticDir, url.pathname, req.method))) return;
    sendError(res, new ContractError('NOT_FOUND', `Not found: ${url.pathname}`));
  }

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, e);
      else res.destroy();
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!hostAllowed(req, port) || !originAllowed(req, port)) return rejectUpgrade(socket, 403, 'Forbidden');
    if (url.pathname !== '/events') return rejectUpgrade(socket, 404, 'Not Found');
    if (!tokenMatches(token, url.searchParams.get('token'))) return rejectUpgrade(socket, 401, 'Unauthorized');
    hub.accept(req, socket, head);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
