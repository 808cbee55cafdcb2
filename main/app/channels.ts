// IPC channel names, derived from the contract: one per request, one for all events.
// Imported by both ipc-main.ts and the preload so the two sides cannot drift.
import type { RequestName } from '../../shared/contract';

export const EVENT_CHANNEL = 's3gan:event';

export function requestChannel(name: RequestName): string {
  return `s3gan:req:${name}`;
}

/** What every request channel answers: never a thrown error across IPC. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: { name: string; message: string; code: string } };

/** What the event channel carries. */
export interface IpcEvent {
  event: string;
  payload: unknown;
}
