import { readFileSync } from 'node:fs';
import type { CliCommand } from '../command';

const command: CliCommand = {
  summary: 'Print the version of S³GAN Studio',
  usage: 's3gan version [--json]',
  async run() {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return { version: pkg.version, node: process.version };
  },
};
export default command;
