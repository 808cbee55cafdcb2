// One process owns a project at a time. `.lock` holds {pid, host, startedAt}; it is created with an
// exclusive link() so a reader never sees a half-written lock. A lock whose pid is dead on this host
// is stale and taken over; it is released on close and on process exit.
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ContractError } from '../../../shared/contract';

export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export const LOCK_FILE = '.lock';
/** A lock file we cannot parse and that is younger than this might still be being written by hand. */
const UNREADABLE_GRACE_MS = 10_000;

const heldLocks = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const path of heldLocks) if (readLock(path)?.pid === process.pid) removeQuietly(path);
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

export function readLock(path: string): LockInfo | null {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof data.pid !== 'number' || typeof data.host !== 'string' || typeof data.startedAt !== 'string') return null;
    return { pid: data.pid, host: data.host, startedAt: data.startedAt };
  } catch {
    return null;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

function isStale(path: string, info: LockInfo | null): boolean {
  if (!info) {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_GRACE_MS;
    } catch {
      return true;
    }
  }
  if (info.host !== hostname()) return false; // cannot check another machine's processes
  if (info.pid === process.pid) return !heldLocks.has(path); // our pid reused after a crash
  return !isProcessAlive(info.pid);
}

function describe(info: LockInfo | null): string {
  if (!info) return 'another process (unreadable lock file)';
  return `process ${info.pid} on ${info.host} since ${info.startedAt}`;
}

export interface ProjectLock {
  readonly info: LockInfo;
  release(): void;
}

/** Takes the project's lock or throws ContractError('PROJECT_LOCKED') naming the holder. */
export function acquireProjectLock(projectDir: string): ProjectLock {
  const path = join(projectDir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(info)}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(tmp, path); // atomic exclusive create with the content already in place
        heldLocks.add(path);
        installExitHook();
        return { info, release: () => releaseLock(path, info) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readLock(path);
      if (!isStale(path, holder)) {
        throw new ContractError('PROJECT_LOCKED', `Project ${projectDir} is open in ${describe(holder)}. Close it there first.`);
      }
      takeOverStale(path);
    }
    throw new ContractError('PROJECT_LOCKED', `Project ${projectDir} is being opened by another process; try again.`);
  } finally {
    removeQuietly(tmp);
  }
}

/**
 * Moves a stale lock aside. rename() succeeds for only one contender; if what we moved turns out to
 * be a live lock (another process took over between our read and rename), put it back.
 */
function takeOverStale(path: string): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return; // someone else moved it first; retry the create
  }
  const moved = readLock(aside);
  if (moved && !isStale(aside, moved)) {
    try {
      linkSync(aside, path);
    } catch {
      // A third process already holds a fresh lock; the retry will report it.
    }
  }
  removeQuietly(aside);
}

function releaseLock(path: string, info: LockInfo): void {
  if (!heldLocks.delete(path)) return;
  const current = readLock(path);
  // Only remove the lock if it is still ours (never someone's who took over a lock we lost).
  if (current && current.pid === info.pid && current.startedAt === info.startedAt) removeQuietly(path);
}
