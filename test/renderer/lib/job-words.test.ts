// The end of a job in words: a cancel is an info toast, a failure names the stage and says why.
import { describe, expect, it } from 'vitest';
import { finishedNotice } from '../../../renderer/src/lib/job-words';

describe('finishedNotice', () => {
  it('cancelled (flag or code) → info "<Stage> cancelled"; failure → error in words; success → nothing', () => {
    expect(finishedNotice({ jobId: 'j', kind: 'features', ok: false, cancelled: true, error: { name: 'E', message: 'Cancelled', code: 'CANCELLED' } })).toEqual({ kind: 'info', text: 'Features cancelled' });
    expect(finishedNotice({ jobId: 'j', kind: 'infer', ok: false, error: { name: 'E', message: 'x', code: 'CANCELLED' } })).toEqual({ kind: 'info', text: 'Inferred labels cancelled' });
    expect(finishedNotice({ jobId: 'j', kind: 'cluster', ok: false, error: { name: 'E', message: 'Cannot run cluster.run: "k" must be at least 1 (you sent 0).', code: 'INVALID_PAYLOAD' } })).toEqual({ kind: 'error', text: 'Clusters failed: "k" must be at least 1 (you sent 0).' });
    expect(finishedNotice({ jobId: 'j', kind: 'train', ok: true })).toBeNull();
  });
});
