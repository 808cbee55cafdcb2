import { describe, expect, it } from 'vitest';
import { csvLine, parseCsv } from '../../../../main/engine/project/csv';

describe('RFC 4180 CSV', () => {
  it('handles BOM, CRLF, quoted fields with commas, quotes and newlines', () => {
    const text = '\uFEFFpath,label\r\n"a,b.png","say ""hi"""\r\n"multi\nline.png",x\r\nplain.png,y';
    const { rows, errors } = parseCsv(text);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { line: 1, fields: ['path', 'label'] },
      { line: 2, fields: ['a,b.png', 'say "hi"'] },
      { line: 3, fields: ['multi\nline.png', 'x'] },
      { line: 5, fields: ['plain.png', 'y'] },
    ]);
  });

  it('reports an unterminated quote; skips blank lines', () => {
    const { rows, errors } = parseCsv('path,label\n\nok.png,a\n"broken.png,b\n');
    expect(rows.map((r) => r.fields[0])).toEqual(['path', 'ok.png']);
    expect(errors).toEqual([{ line: 4, reason: 'unterminated quoted field' }]);
  });

  it('formats fields so they parse back unchanged', () => {
    const fields = ['/x/with,comma.png', 'quote"d', ' padded ', 'new\r\nline', 'plain'];
    expect(parseCsv(`${csvLine(fields)}\n`).rows[0]!.fields).toEqual(fields);
    expect(csvLine(['a', 'b'])).toBe('a,b');
  });
});
