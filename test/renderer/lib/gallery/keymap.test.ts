import { describe, expect, it } from 'vitest';
import { actionForKey, classIndexForDigit, digitForClassIndex } from '../../../../renderer/src/lib/gallery/keymap';

describe('keymap', () => {
  it('digits 1–9 then 0 map to the first ten classes', () => {
    expect(classIndexForDigit('1')).toBe(0);
    expect(classIndexForDigit('9')).toBe(8);
    expect(classIndexForDigit('0')).toBe(9);
    expect(classIndexForDigit('a')).toBeNull();
    for (let i = 0; i < 10; i++) expect(classIndexForDigit(digitForClassIndex(i)!)).toBe(i);
    expect(digitForClassIndex(10)).toBeNull();
    expect(actionForKey({ key: '3', code: 'Digit3' })).toEqual({ type: 'label', digit: '3' });
    expect(actionForKey({ key: '0', code: 'Numpad0' })).toEqual({ type: 'label', digit: '0' });
    expect(actionForKey({ key: '!', code: 'Digit1', shiftKey: true })).toEqual({ type: 'label', digit: '1' });
  });

  it('undo/redo with Ctrl or Cmd, Shift for redo, and Ctrl+Y', () => {
    expect(actionForKey({ key: 'z', ctrlKey: true })).toEqual({ type: 'undo' });
    expect(actionForKey({ key: 'Z', ctrlKey: true, shiftKey: true })).toEqual({ type: 'redo' });
    expect(actionForKey({ key: 'z', metaKey: true })).toEqual({ type: 'undo' });
    expect(actionForKey({ key: 'y', ctrlKey: true })).toEqual({ type: 'redo' });
    expect(actionForKey({ key: 'a', ctrlKey: true })).toEqual({ type: 'selectAll' });
    // Ctrl+digit is left to the browser/OS (tab switching), never a label.
    expect(actionForKey({ key: '1', code: 'Digit1', ctrlKey: true })).toBeNull();
  });

  it('arrows move, Shift extends', () => {
    expect(actionForKey({ key: 'ArrowRight' })).toEqual({ type: 'move', delta: 'right', extend: false });
    expect(actionForKey({ key: 'ArrowDown', shiftKey: true })).toEqual({ type: 'move', delta: 'down', extend: true });
    expect(actionForKey({ key: 'End' })).toEqual({ type: 'move', delta: 'end', extend: false });
  });

  it('single keys: Backspace clears, x excludes, Space previews, ? helps, Esc escapes', () => {
    expect(actionForKey({ key: 'Backspace' })).toEqual({ type: 'clear' });
    expect(actionForKey({ key: 'x' })).toEqual({ type: 'exclude' });
    expect(actionForKey({ key: 'X', shiftKey: true })).toEqual({ type: 'exclude' });
    expect(actionForKey({ key: ' ' })).toEqual({ type: 'preview' });
    expect(actionForKey({ key: '?', code: 'Slash', shiftKey: true })).toEqual({ type: 'help' });
    expect(actionForKey({ key: 'Escape' })).toEqual({ type: 'escape' });
    expect(actionForKey({ key: 'q' })).toBeNull();
    expect(actionForKey({ key: 'x', altKey: true })).toBeNull();
  });
});
