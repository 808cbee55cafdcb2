// The recent-projects list (most recent first), a small JSON file in the user's config folder.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../base/durable-fs';
import { manifestPath } from './manifest';

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
}

const MAX_RECENT = 20;

/** opts.recentFile, else $S3GAN_CONFIG_DIR/recent.json, else $XDG_CONFIG_HOME or ~/.config/s3gan-studio/recent.json. */
export function defaultRecentFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.S3GAN_CONFIG_DIR) return join(env.S3GAN_CONFIG_DIR, 'recent.json');
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 's3gan-studio', 'recent.json');
}

export class RecentProjects {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {}

  /** Entries whose project folder still exists. */
  list(): RecentProject[] {
    return this.read().filter((r) => existsSync(manifestPath(r.path)));
  }

  remember(path: string, name: string): Promise<void> {
    const run = this.chain.then(async () => {
      const rest = this.read().filter((r) => r.path !== path);
      const next = [{ path, name, openedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT);
      mkdirSync(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, `${JSON.stringify({ projects: next }, null, 2)}\n`);
    });
    // A read-only config dir must not break opening a project.
    this.chain = run.catch(() => undefined);
    return run.catch(() => undefined);
  }

  private read(): RecentProject[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as { projects?: unknown };
      if (!Array.isArray(data.projects)) return [];
      return data.projects.filter((r): r is RecentProject => typeof r?.path === 'string' && typeof r?.name === 'string' && typeof r?.openedAt === 'string');
    } catch {
      return []; // missing or damaged file: start a fresh list
    }
  }
}
