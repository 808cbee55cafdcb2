#!/usr/bin/env node
// Launcher for the s3gan CLI: runs the TypeScript sources through tsx, so it works in a checkout
// right after `npm ci` with nothing to build.
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
