// project.json: name, classes, settings and imported folders. Small, rewritten atomically on change.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ClassDef, ContractError, ProjectSettings } from '../../../shared/contract';
import { writeFileAtomic } from '../base/durable-fs';

export const MANIFEST_FILE = 'project.json';
export const MANIFEST_VERSION = 1;

export const DEFAULT_SETTINGS: ProjectSettings = { resolution: 32, channels: 'auto', backend: 'auto' };

export const Manifest = z.object({
  version: z.number().int(),
  name: z.string().min(1),
  createdAt: z.string(),
  classes: z.array(ClassDef),
  /** Counter for class ids (never reused, so old log entries cannot point at a new class). */
  nextClassNumber: z.number().int().nonnegative(),
  /** Bumped on every class change; part of labelRevision(). */
  classRevision: z.number().int().nonnegative(),
  settings: ProjectSettings,
  folders: z.array(z.string()),
});
export type Manifest = z.infer<typeof Manifest>;

export function newManifest(name: string): Manifest {
  return {
    version: MANIFEST_VERSION,
    name,
    createdAt: new Date().toISOString(),
    classes: [],
    nextClassNumber: 1,
    classRevision: 0,
    settings: { ...DEFAULT_SETTINGS },
    folders: [],
  };
}

export function manifestPath(dir: string): string {
  return join(dir, MANIFEST_FILE);
}

export function readManifest(dir: string): Manifest {
  const path = manifestPath(dir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ContractError('NOT_FOUND', `${dir} is not an S³GAN project (no ${MANIFEST_FILE})`);
    throw new ContractError('IO', `Cannot read ${path}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ContractError('IO', `${path} is not valid JSON`);
  }
  // Fill fields added after version 1 so older manifests keep opening.
  const withDefaults = { nextClassNumber: 1, classRevision: 0, folders: [], classes: [], ...(raw as object) } as Record<string, unknown>;
  withDefaults.settings = { ...DEFAULT_SETTINGS, ...((withDefaults.settings as object | undefined) ?? {}) };
  const parsed = Manifest.safeParse(withDefaults);
  if (!parsed.success) throw new ContractError('IO', `${path} is malformed: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  if (parsed.data.version > MANIFEST_VERSION) {
    throw new ContractError('CONFLICT', `${path} was written by a newer S³GAN Studio (format ${parsed.data.version}); please upgrade`);
  }
  return parsed.data;
}

export function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  return writeFileAtomic(manifestPath(dir), `${JSON.stringify(manifest, null, 2)}\n`);
}
