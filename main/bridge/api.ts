// `POST /api/<request-name>`: validate with the contract, answer host requests here, relay the rest
// to the engine, and keep track of which project is open (the /thumb route serves from it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ContractError, hostRequests, type RequestName } from '../../shared/contract';
import type { EngineApi } from '../engine/jobs/protocol';
import { parseIncoming } from '../engine/jobs/validate';
import { BodyTooLarge, readJsonBody } from './body';
import { sendError, sendJson, sendResult } from './respond';

/** What the bridge needs from the engine: EngineClient satisfies it; tests pass fakes. */
export type BridgeEngine = EngineApi;

export interface ApiContext {
  engine: BridgeEngine;
  version: string;
  project: ProjectTracker;
}

/** The open project as seen through responses and events; `undefined` = not known yet, ask the engine. */
export class ProjectTracker {
  private path: string | null | undefined = undefined;
  constructor(private readonly engine: BridgeEngine) {}

  observe(name: RequestName, result: unknown): void {
    if (name === 'project.open' || name === 'project.create' || name === 'project.current') {
      this.path = (result as { path?: string } | null)?.path ?? null;
    } else if (name === 'project.close') this.path = null;
  }

  set(path: string | null): void {
    this.path = path;
  }

  async current(): Promise<string | null> {
    if (this.path === undefined) {
      const summary = await this.engine.request('project.current', {});
      this.path = summary?.path ?? null;
    }
    return this.path;
  }
}

async function answerHost(name: RequestName, ctx: ApiContext): Promise<unknown> {
  if (name === 'dialog.pickFolder') return { path: null }; // web mode: the UI falls back to its folder browser (fs.list)
  if (name === 'app.info') {
    const backend = await ctx.engine.request('app.info', {}).then(
      (info) => info.backend ?? null,
      () => null,
    );
    return { version: ctx.version, mode: 'web', backend };
  }
  throw new ContractError('UNKNOWN_REQUEST', `No host handler for "${name}"`);
}

export async function handleApi(req: IncomingMessage, res: ServerResponse, name: string, ctx: ApiContext): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendJson(res, 405, { ok: false, error: { name: 'ContractError', message: 'Use POST for /api requests', code: 'INVALID_PAYLOAD' } });
    return;
  }
  try {
    const raw = await readJsonBody(req);
    const { params } = parseIncoming(name, raw);
    const requestName = name as RequestName;
    const result = hostRequests.has(requestName) ? await answerHost(requestName, ctx) : await ctx.engine.request(requestName, params as never);
    ctx.project.observe(requestName, result);
    sendResult(res, result);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      sendError(res, new ContractError('INVALID_PAYLOAD', e.message), 413);
      return;
    }
    sendError(res, e);
  }
}
