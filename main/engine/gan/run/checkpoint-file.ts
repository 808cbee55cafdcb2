// The checkpoint file: "S3GCKPT1", uint32 LE header length, JSON header (meta + tensor table + SHA-256
// of the payload), zero padding to 4 bytes, float32 LE payload. Written with temp + fsync + rename, so a
// reader sees an old complete file or a new complete one; the hash catches anything else (bad disks,
// copies cut short) instead of silently loading wrong weights.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ContractError } from '../../../../shared/contract';

const MAGIC = 'S3GCKPT1';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

interface Header<M> {
  meta: M;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  sha256: string;
}

export function encodeCheckpoint<M>(meta: M, arrays: NamedArray[]): Uint8Array {
  let total = 0;
  const tensors = arrays.map((a) => {
    const entry = { name: a.name, shape: a.shape, offset: total, length: a.data.length };
    total += a.data.length;
    return entry;
  });
  const payload = new Float32Array(total);
  arrays.forEach((a, i) => payload.set(a.data, tensors[i]!.offset));
  const payloadBytes = new Uint8Array(payload.buffer);
  const sha256 = createHash('sha256').update(payloadBytes).digest('hex');
  const json = Buffer.from(JSON.stringify({ meta, tensors, sha256 } satisfies Header<M>), 'utf8');
  const dataStart = Math.ceil((12 + json.length) / 4) * 4;
  const out = new Uint8Array(dataStart + payloadBytes.length);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(payloadBytes, dataStart);
  return out;
}

export function decodeCheckpoint<M>(bytes: Uint8Array, what = 'checkpoint'): { meta: M; arrays: Map<string, NamedArray> } {
  const fail = (why: string) => new ContractError('IO', `${what} is damaged: ${why}`);
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw fail('not a checkpoint file');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + headerLength > bytes.length) throw fail('header runs past the end of the file');
  let header: Header<M>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLength)).toString('utf8')) as Header<M>;
  } catch {
    throw fail('unreadable header');
  }
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const total = header.tensors.reduce((s, t) => s + t.length, 0);
  if (bytes.length !== dataStart + total * 4) throw fail(`expected ${total} floats, file size differs`);
  const payloadBytes = bytes.subarray(dataStart);
  if (createHash('sha256').update(payloadBytes).digest('hex') !== header.sha256) throw fail('checksum mismatch');
  const payload = new Float32Array(total);
  new Uint8Array(payload.buffer).set(payloadBytes);
  const arrays = new Map<string, NamedArray>();
  for (const t of header.tensors) arrays.set(t.name, { name: t.name, shape: t.shape, data: payload.slice(t.offset, t.offset + t.length) });
  return { meta: header.meta, arrays };
}

export function readCheckpointFile<M>(path: string): { meta: M; arrays: Map<string, NamedArray> } {
  return decodeCheckpoint<M>(readFileSync(path), path);
}
