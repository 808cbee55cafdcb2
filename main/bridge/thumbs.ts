// `GET /thumb/<id>?token=…`: the current project's thumbnail (img tags cannot send headers, hence the query token).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { ContractError } from '../../shared/contract';
import { thumbFile } from '../engine/jobs/thumb-path';
import { sendError } from './respond';

export async function serveThumb(res: ServerResponse, id: string, projectDir: string | null): Promise<void> {
  if (!projectDir) return sendError(res, new ContractError('NO_PROJECT', 'No project is open'), 404);
  const file = thumbFile(projectDir, id);
  if (!file) return sendError(res, new ContractError('INVALID_PAYLOAD', `Not a thumbnail id: "${id}"`));
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return sendError(res, new ContractError('NOT_FOUND', `No thumbnail ${id}`));
  res.writeHead(200, {
    'Content-Type': 'image/webp',
    'Content-Length': info.size,
    // Ids are content hashes: the bytes behind one id never change, but stay private to this user.
    'Cache-Control': 'private, max-age=86400',
    ETag: `"${id}-${info.size}-${Math.floor(info.mtimeMs)}"`,
  });
  createReadStream(file).pipe(res);
}
