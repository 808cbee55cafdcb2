// Where each ML stage keeps its files inside the project, and the crash-safe ways to write them.
// A stage is "done" only when its small JSON marker exists: data files are written first (each
// atomically), the marker last, so a kill -9 at any point never leaves a half-written stage as done.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/durable-fs';

export function stagePaths(projectDir: string) {
  const features = join(projectDir, 'features');
  const clusters = join(projectDir, 'clusters');
  const infer = join(projectDir, 'infer');
  return {
    featuresDir: features,
    featuresMeta: join(features, 'meta.json'),
    embeddings: join(features, 'embeddings.f32'),
    encoder: join(features, 'encoder.bin'),
    checkpointDir: join(features, 'ckpt'),
    checkpointEncoder: join(features, 'ckpt', 'encoder.bin'),
    checkpointProgress: join(features, 'ckpt', 'progress.json'),
    clustersDir: clusters,
    clustersResult: join(clusters, 'result.json'),
    inferDir: infer,
    inferResult: join(infer, 'result.json'),
    inferProbs: join(infer, 'probs.f32'),
    /** S⁴L embedding (n × embeddingDim(config), unit norm): label-aware, for later stages (e.g. CAS). */
    inferFeatures: join(infer, 'features.f32'),
  };
}
export type StagePaths = ReturnType<typeof stagePaths>;

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(value)}\n`);
}

/** The parsed JSON, or null when the file is missing or unreadable (an unfinished stage). */
export function readJsonOrNull<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null; // torn or foreign file: the stage is simply not done
  }
}

/** Raw little-endian float32 (x86/ARM hosts are little-endian; the meta records the byte order). */
export async function writeFloat32Atomic(path: string, values: Float32Array): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  await writeFileAtomic(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** null unless the file holds exactly `expectedLength` floats. */
export function readFloat32OrNull(path: string, expectedLength: number): Float32Array | null {
  if (!existsSync(path) || statSync(path).size !== expectedLength * 4) return null;
  const bytes = readFileSync(path);
  const out = new Float32Array(expectedLength);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function removeIfExists(path: string): void {
  rmSync(path, { force: true, recursive: true });
}
