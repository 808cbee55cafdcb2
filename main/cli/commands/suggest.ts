import { parseArgs } from '../args';
import type { CliCommand } from '../command';
import { projectArg, withEngine } from './_engine';

const usage = 's3gan suggest <project> [--n N] [--json]';

const command: CliCommand = {
  summary: 'Which images to label next (uncertain ones, clusters with few hand labels)',
  usage,
  async run(argv, io) {
    const { positional, flags } = parseArgs(argv, { n: 'number' });
    const path = projectArg(positional, usage);
    const result = await withEngine(io, async (call) => {
      const project = await call('project.open', { path });
      const names = new Map(project.classes.map((c) => [c.id, c.name]));
      const suggestions = await call('suggest.get', flags.n !== undefined ? { n: flags.n as number } : {});
      const files = io.json ? new Map<string, string>() : new Map((await call('images.list', {})).items.map((it) => [it.id, it.source]));
      return { ...suggestions, names, files };
    });
    if (!io.json) {
      for (const s of result.items) {
        const guess = s.predicted ? ` looks like ${result.names.get(s.predicted) ?? s.predicted}` : '';
        io.log(`${result.files.get(s.id) ?? s.id}  score ${s.score.toFixed(3)}${guess}  — ${s.reason}`);
      }
      return { suggested: result.items.length, basedOn: result.basedOn };
    }
    return { items: result.items, basedOn: result.basedOn };
  },
};
export default command;
