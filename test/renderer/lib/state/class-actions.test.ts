// Class merge asks first (naming both classes and how many labels move) and its toast offers Undo
// (issue 14: merge had no question and no undo); delete's toast offers Undo too.
import { describe, expect, it, vi } from 'vitest';
import { deleteClass, mergeClass, mergeQuestion, type ClassActionDeps } from '../../../../renderer/src/lib/state/class-actions';

const three = { id: 'c3', name: '3', color: '#000000' };
const eight = { id: 'c8', name: '8', color: '#ffffff' };

function deps(answer: boolean) {
  const notices: { kind: string; text: string; action?: { label: string; run: () => unknown } }[] = [];
  const d = {
    ask: vi.fn(async () => answer),
    notify: vi.fn((kind: 'error' | 'info', text: string, opts?: { action?: { label: string; run: () => unknown } }) => void notices.push({ kind, text, action: opts?.action })),
    merge: vi.fn(async () => 12),
    remove: vi.fn(async () => 4),
    undo: vi.fn(async () => undefined),
    refresh: vi.fn(async () => undefined),
  } satisfies ClassActionDeps;
  return { d, notices };
}

describe('mergeClass', () => {
  it('asks with both names and the count; "Keep both" changes nothing', async () => {
    const { d, notices } = deps(false);
    expect(await mergeClass(d, three, eight, 12)).toBe(false);
    expect(d.ask).toHaveBeenCalledWith('Merge “3” into “8”? 12 labels move from “3” to “8”, and “3” is removed. Undo brings it back.', { confirmLabel: 'Merge', cancelLabel: 'Keep both' });
    expect(d.merge).not.toHaveBeenCalled();
    expect(notices).toEqual([]);
  });

  it('on yes merges, reloads the gallery and offers Undo, which is labels.undo', async () => {
    const { d, notices } = deps(true);
    expect(await mergeClass(d, three, eight, 12)).toBe(true);
    expect(d.merge).toHaveBeenCalledWith('c3', 'c8');
    expect(d.refresh).toHaveBeenCalled();
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text).toBe('Merged “3” into “8”: 12 labels moved');
    expect(notices[0]!.action?.label).toBe('Undo');
    await notices[0]!.action!.run();
    expect(d.undo).toHaveBeenCalledTimes(1);
  });

  it('words for one label and for none', () => {
    expect(mergeQuestion(three, eight, 1)).toMatch(/1 label moves from/);
    expect(mergeQuestion(three, eight, 0)).toMatch(/“3” has no labels yet/);
  });
});

describe('deleteClass', () => {
  it('deletes, says how many images are unlabeled again, offers Undo', async () => {
    const { d, notices } = deps(true);
    await deleteClass(d, three);
    expect(d.remove).toHaveBeenCalledWith('c3');
    expect(notices[0]!.text).toBe('Deleted “3”; 4 images back to unlabeled');
    await notices[0]!.action!.run();
    expect(d.undo).toHaveBeenCalled();
  });
});
