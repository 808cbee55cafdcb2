// RFC 4180 CSV: quoted fields (with "" escapes and embedded newlines), CRLF or LF, optional UTF-8 BOM.

export interface CsvRow {
  /** 1-based line number where the row starts. */
  line: number;
  fields: string[];
}

export interface CsvParse {
  rows: CsvRow[];
  /** Rows that could not be parsed (an unterminated quote). */
  errors: Array<{ line: number; reason: string }>;
}

export function parseCsv(input: string): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const rows: CsvRow[] = [];
  const errors: CsvParse['errors'] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let wasQuoted = false;
    let done = false;
    while (i < text.length && !done) {
      const ch = text[i]!;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
        } else {
          if (ch === '\n') line += 1;
          field += ch;
        }
        i += 1;
      } else if (ch === '"' && field === '' && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
        i += 1;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        wasQuoted = false;
        i += 1;
      } else if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line += 1;
        done = true;
      } else {
        field += ch;
        i += 1;
      }
    }
    if (quoted) {
      errors.push({ line: start, reason: 'unterminated quoted field' });
      break;
    }
    fields.push(field);
    if (fields.length === 1 && fields[0] === '' && !wasQuoted) continue; // blank line
    rows.push({ line: start, fields });
  }
  return { rows, errors };
}

export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: string[]): string {
  return fields.map(csvField).join(',');
}
