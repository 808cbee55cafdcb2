// Which class a digit key labels (pure). When every class is named by a single digit 0–9 (the MNIST
// demo: "0" … "9"), key N labels the class named "N" — pressing 3 on a 3 must not label it "2".
// Otherwise keys 1–9 then 0 label the first ten classes in class order. The Label view, Review, the
// suggestion list, the class list's key badges and the shortcut sheet all read this one mapping.
import { classIndexForDigit, digitForClassIndex } from './keymap';

export interface ClassKeys {
  /** True: keys are the class names (every class is named "0"–"9"); false: keys follow class order. */
  byName: boolean;
  /** The class id a digit key labels, or null when no class sits on that key. */
  classFor(digit: string): string | null;
  /** The key that labels a class, or null (only the first ten classes have keys in order mode). */
  keyFor(classId: string): string | null;
  /** "No class on key 7 yet" / "No class named 7": why a digit did nothing. */
  missing(digit: string): string;
}

interface Named {
  id: string;
  name: string;
}

/** Every name a distinct single digit (surrounding spaces ignored), and at least one class. */
export function namedByDigits(classes: readonly Named[]): boolean {
  if (classes.length === 0 || classes.length > 10) return false;
  const names = classes.map((c) => c.name.trim());
  return names.every((n) => /^[0-9]$/.test(n)) && new Set(names).size === names.length;
}

export function classKeys(classes: readonly Named[]): ClassKeys {
  if (namedByDigits(classes)) {
    const byDigit = new Map(classes.map((c) => [c.name.trim(), c.id]));
    const byId = new Map(classes.map((c) => [c.id, c.name.trim()]));
    return {
      byName: true,
      classFor: (digit) => byDigit.get(digit) ?? null,
      keyFor: (id) => byId.get(id) ?? null,
      missing: (digit) => `No class named “${digit}” — add it in the classes panel.`,
    };
  }
  const index = new Map(classes.map((c, i) => [c.id, i]));
  return {
    byName: false,
    classFor: (digit) => {
      const i = classIndexForDigit(digit);
      return i === null ? null : (classes[i]?.id ?? null);
    },
    keyFor: (id) => {
      const i = index.get(id);
      return i === undefined ? null : digitForClassIndex(i);
    },
    missing: (digit) => `No class on key ${digit} yet — add classes in the panel.`,
  };
}
