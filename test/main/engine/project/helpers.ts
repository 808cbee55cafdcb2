// Builds a real project with a few imported images for store tests.
import { join } from 'node:path';
import { Project } from '../../../../main/engine/project/project';
import { tempDir, writeImages } from '../data/fixtures';

export async function projectWithImages(count: number, opts: { gray?: boolean } = {}): Promise<{ project: Project; root: string; images: string; ids: string[]; cleanup(): Promise<void> }> {
  const tmp = tempDir();
  const images = join(tmp.path, 'images');
  await writeImages(images, count, opts);
  const project = await Project.create(join(tmp.path, 'proj'));
  await project.importFolders([images]);
  const ids = project.index.list().map((i) => i.id);
  let current = project;
  return {
    get project() {
      return current;
    },
    set project(p: Project) {
      current = p;
    },
    root: tmp.path,
    images,
    ids,
    async cleanup() {
      await current.close();
      tmp.remove();
    },
  };
}
