// Which class a digit key labels: by name when every class is named "0"–"9" (issue 14: in the MNIST
// demo key 1 labelled "0"), else 1–9, 0 in class order; the sheet and badges follow the same mapping.
import { describe, expect, it } from 'vitest';
import { classKeys, namedByDigits } from '../../../../renderer/src/lib/gallery/class-keys';
import { shortcutSheet } from '../../../../renderer/src/lib/gallery/keymap';

const cls = (names: string[]) => names.map((name, i) => ({ id: `c${i}`, name }));
const digits = cls(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

describe('classKeys', () => {
  it('digit-named classes: key N labels the class named "N", whatever their order', () => {
    const keys = classKeys(digits);
    expect(keys.byName).toBe(true);
    for (let n = 0; n <= 9; n++) expect(keys.classFor(String(n))).toBe(`c${n}`);
    expect(keys.keyFor('c0')).toBe('0');
    expect(keys.keyFor('c3')).toBe('3');
    const shuffled = cls(['7', ' 3', '0']); // c0 = "7", c1 = " 3" (space ignored), c2 = "0"
    const k2 = classKeys(shuffled);
    expect([k2.classFor('7'), k2.classFor('3'), k2.classFor('0'), k2.classFor('1')]).toEqual(['c0', 'c1', 'c2', null]);
    expect(k2.keyFor('c1')).toBe('3');
    expect(k2.missing('1')).toMatch(/No class named “1”/);
  });

  it('other names: keys 1–9 then 0 follow class order (as before)', () => {
    const keys = classKeys(cls(['cat', 'dog', 'bird']));
    expect(keys.byName).toBe(false);
    expect([keys.classFor('1'), keys.classFor('3'), keys.classFor('4'), keys.classFor('0')]).toEqual(['c0', 'c2', null, null]);
    expect(keys.keyFor('c1')).toBe('2');
    expect(keys.missing('4')).toMatch(/No class on key 4/);
    const eleven = classKeys(cls(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']));
    expect(eleven.classFor('0')).toBe('c9');
    expect(eleven.keyFor('c10')).toBeNull();
  });

  it('a mix of digit and other names, duplicates or two-digit names keep class order', () => {
    expect(namedByDigits(cls(['0', '1', 'other']))).toBe(false);
    expect(namedByDigits(cls(['1', '1 ']))).toBe(false);
    expect(namedByDigits(cls(['1', '10']))).toBe(false);
    expect(namedByDigits([])).toBe(false);
    expect(classKeys(cls(['1', '0', 'x'])).classFor('1')).toBe('c0');
  });

  it('the shortcut sheet names the mapping in use', () => {
    expect(shortcutSheet(true)[0]).toEqual({ keys: '0 – 9', what: expect.stringMatching(/class of that name/) });
    expect(shortcutSheet(false)[0]!.keys).toBe('1 – 9, 0');
    expect(shortcutSheet(true).slice(1)).toEqual(shortcutSheet(false).slice(1));
  });
});
