// Request handlers for fs.list, project.* and images.*.
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../base/handlers';
import { imagePreview } from '../data/preview';
import { listDirectory } from '../data/fs-list';
import type { RunJob } from './label-handlers';
import type { RecentProjects } from './recent';
import type { ProjectSession } from './session';
import { listImages, projectStatus } from './status';

export function createProjectHandlers(session: ProjectSession, recent: RecentProjects, runJob: RunJob): Handlers {
  return {
    'fs.list': async ({ path }) => listDirectory(path),

    'project.create': async ({ path, name }) => session.summary(await session.create(path, name)),
    'project.open': async ({ path }) => session.summary(await session.open(path)),
    'project.close': async () => {
      await session.close();
      return { ok: true as const };
    },
    'project.current': async () => {
      const p = session.maybeCurrent();
      return p ? session.summary(p) : null;
    },
    'project.recent': async () => ({ projects: recent.list() }),
    'project.status': async () => projectStatus(session.current()),
    'project.settings': async (patch, ctx) => {
      const project = session.current();
      if (Object.keys(patch).length === 0) return project.settings();
      const settings = await project.updateSettings(patch);
      ctx.emit('project.changed', { path: project.dir });
      return settings;
    },

    'images.import': async ({ folders }, ctx) => {
      const project = session.current();
      const report = await runJob('import', (job) => project.importFolders(folders, job), ctx.signal);
      session.watchFolders(project.manifest.folders);
      if (report.imported + report.relinked > 0) ctx.emit('images.changed', { added: report.imported, missing: 0, relinked: report.relinked });
      return report;
    },
    'images.list': async () => ({ items: listImages(session.current()) }),
    'images.preview': async ({ id }) => {
      const image = session.current().index.get(id);
      if (!image) throw new ContractError('NOT_FOUND', `No image ${id} in this project`);
      return imagePreview(image.source);
    },
    'images.exclude': async ({ ids, excluded }, ctx) => {
      const r = await session.current().exclude(ids, excluded);
      if (r.group) ctx.emit('labels.changed', { ids: r.ids, group: r.group });
      return { applied: r.applied, group: r.group };
    },
  };
}
