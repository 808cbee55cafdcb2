// Vitest setup file of the unit and E2E suites (setupFiles in both configs).
import { installTempDirCleanup } from './temp-dirs';

installTempDirCleanup();
