// The paper's methods (DESIGN.md §4), as the presets the trainer knows.
import { z } from 'zod';

export const Method = z.enum([
  'single', 'random', 'clustering', 'clustering-ss', 's2gan', 's2gan-ss', 's2gan-co', 's3gan', 'supervised',
]);
export type Method = z.infer<typeof Method>;
