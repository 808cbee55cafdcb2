// JSON replies in the bridge's wire shape: `{ok:true, result}` or `{ok:false, error:{name,message,code}}`.
import type { ServerResponse } from 'node:http';
import { toWireError, type ErrorCode, type WireError } from '../../shared/contract';

const STATUS: Partial<Record<ErrorCode, number>> = {
  INVALID_PAYLOAD: 400,
  UNKNOWN_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  PROJECT_LOCKED: 409,
  CONFLICT: 409,
  // The user cancelled: a normal outcome, not a server failure (499 = "client closed request").
  CANCELLED: 499,
};

export function statusFor(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  if (status === 499) res.statusMessage = 'Cancelled'; // Node knows no reason phrase for it
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendResult(res: ServerResponse, result: unknown): void {
  sendJson(res, 200, { ok: true, result: result ?? null });
}

export function sendError(res: ServerResponse, err: unknown, status?: number): void {
  const error: WireError = toWireError(err);
  sendJson(res, status ?? statusFor(error.code), { ok: false, error });
}
