// Keyboard map of the Label view (pure): a key event → an action. One place, so the shortcut
// sheet and the handler cannot drift apart. Which class a digit key labels is class-keys.ts' job.

export type GalleryAction =
  | { type: 'label'; digit: string }
  | { type: 'clear' }
  | { type: 'move'; delta: 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'; extend: boolean }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'exclude' }
  | { type: 'preview' }
  | { type: 'help' }
  | { type: 'selectAll' }
  | { type: 'escape' };

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  altKey?: boolean;
}

const arrows: Record<string, 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

/** Keys 1–9 then 0 map to the first ten classes (0 is the tenth, as on the keyboard row). */
export function classIndexForDigit(digit: string): number | null {
  if (!/^[0-9]$/.test(digit)) return null;
  return digit === '0' ? 9 : Number(digit) - 1;
}

export function digitForClassIndex(index: number): string | null {
  if (index < 0 || index > 9) return null;
  return index === 9 ? '0' : String(index + 1);
}

export function actionForKey(e: KeyLike): GalleryAction | null {
  const mod = Boolean(e.ctrlKey || e.metaKey);
  if (e.altKey) return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  if (mod) {
    if (key === 'z') return e.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (key === 'y') return { type: 'redo' };
    if (key === 'a') return { type: 'selectAll' };
    return null;
  }
  const arrow = arrows[e.key];
  if (arrow) return { type: 'move', delta: arrow, extend: Boolean(e.shiftKey) };
  // Use the physical digit when Shift changes the character (e.g. "!" on Shift+1): still a label.
  const digit = /^Digit[0-9]$/.test(e.code ?? '') ? e.code!.slice(5) : /^[0-9]$/.test(key) ? key : null;
  if (digit !== null && !(e.shiftKey && key === '?')) {
    return { type: 'label', digit };
  }
  switch (key) {
    case 'Backspace':
    case 'Delete':
      return { type: 'clear' };
    case 'x':
      return { type: 'exclude' };
    case ' ':
      return { type: 'preview' };
    case '?':
      return { type: 'help' };
    case 'Escape':
      return { type: 'escape' };
    default:
      return null;
  }
}

/** The shortcut sheet, generated from the same map the handler uses (`byName`: see class-keys.ts). */
export function shortcutSheet(byName: boolean): ReadonlyArray<{ keys: string; what: string }> {
  return [byName ? { keys: '0 – 9', what: 'Label focused / selected images with the class of that name' } : { keys: '1 – 9, 0', what: 'Label focused / selected images with class 1–10' }, ...otherShortcuts];
}

const otherShortcuts: ReadonlyArray<{ keys: string; what: string }> = [
  { keys: 'Backspace', what: 'Clear the label' },
  { keys: 'x', what: 'Exclude / include (kept on disk, left out of every stage)' },
  { keys: '← ↑ → ↓', what: 'Move focus' },
  { keys: 'Shift + arrows', what: 'Extend the selection' },
  { keys: 'Click / Shift+click / Ctrl+click', what: 'Select one / a range / toggle' },
  { keys: 'Drag across images', what: 'Rubber-band select (Ctrl adds)' },
  { keys: 'Ctrl+A', what: 'Select all shown' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z', what: 'Undo / redo (a bulk label is one step)' },
  { keys: 'Space', what: 'Large preview' },
  { keys: 'Esc', what: 'Clear selection / close' },
  { keys: '?', what: 'This sheet' },
];
