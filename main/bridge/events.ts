// WebSocket `/events?token=…`: every engine event pushed to every client as `{event, payload}`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { eventNames } from '../../shared/contract';
import type { BridgeEngine } from './api';

export interface EventHub {
  /** Completes an already-authorised upgrade. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createEventHub(engine: BridgeEngine, onEvent?: (event: string, payload: unknown) => void): EventHub {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const unsubscribe = eventNames.map((event) =>
    engine.on(event, (payload) => {
      onEvent?.(event, payload);
      const text = JSON.stringify({ event, payload });
      for (const client of wss.clients) if (client.readyState === WebSocket.OPEN) client.send(text);
    }),
  );
  // Clients only listen; anything they send is ignored rather than interpreted.
  wss.on('connection', (ws) => ws.on('error', () => ws.terminate()));
  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      unsubscribe.forEach((u) => u());
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

/** Refuses an upgrade with a bare HTTP status line (no WebSocket is ever created). */
export function rejectUpgrade(socket: Duplex, status: 401 | 403 | 404, text: string): void {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}
