// The saved encoder: "S3ENC001", a uint32 LE header length, a JSON header (config + tensor table),
// zero padding to 4 bytes, then every weight as float32 LE. Self-describing and easy to read anywhere.
import { readFileSync } from 'node:fs';
import { ContractError } from '../../../shared/contract';

const MAGIC = 'S3ENC001';

export interface SerializedWeights<C> {
  config: C;
  weights: { name: string; shape: number[]; data: Float32Array }[];
}

interface Header<C> {
  config: C;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
  extra?: Record<string, unknown>;
}

export function encodeEncoder<C>(s: SerializedWeights<C>, extra?: Record<string, unknown>): Uint8Array {
  let offset = 0;
  const tensors = s.weights.map((w) => {
    const entry = { name: w.name, shape: w.shape, offset, length: w.data.length };
    offset += w.data.length;
    return entry;
  });
  const header: Header<C> = { config: s.config, tensors, ...(extra ? { extra } : {}) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerEnd = 8 + 4 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const out = new Uint8Array(dataStart + offset * 4);
  out.set(Buffer.from(MAGIC, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  const floats = new Float32Array(out.buffer, dataStart, offset);
  s.weights.forEach((w, i) => floats.set(w.data, tensors[i]!.offset));
  return out;
}

export function decodeEncoder<C>(bytes: Uint8Array): SerializedWeights<C> & { extra?: Record<string, unknown> } {
  const fail = (why: string) => new ContractError('IO', `encoder file is damaged: ${why}`);
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== MAGIC) throw fail('bad magic');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw fail('header past end of file');
  const header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLength)).toString('utf8')) as Header<C>;
  const dataStart = Math.ceil((12 + headerLength) / 4) * 4;
  const total = header.tensors.reduce((s, t) => s + t.length, 0);
  if (dataStart + total * 4 !== bytes.length) throw fail(`expected ${total} floats`);
  const aligned = new Float32Array(total);
  new Uint8Array(aligned.buffer).set(bytes.subarray(dataStart));
  return {
    config: header.config,
    weights: header.tensors.map((t) => ({ name: t.name, shape: t.shape, data: aligned.slice(t.offset, t.offset + t.length) })),
    ...(header.extra ? { extra: header.extra } : {}),
  };
}

export function readEncoderFile<C>(path: string): SerializedWeights<C> & { extra?: Record<string, unknown> } {
  return decodeEncoder<C>(readFileSync(path));
}
