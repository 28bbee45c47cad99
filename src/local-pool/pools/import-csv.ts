// Reading a user import file as Cognito's import reads it: UTF-8, the first line the header (the
// columns of GetCSVHeader, all of them, in any order), one user a line, commas inside a value
// written "\,", values not quoted (a quote is a character of the value), spaces around a value dropped.

/** Cognito's limits: 500,000 users a file, 16,000 characters a line. */
export const MAX_IMPORT_ROWS = 500_000;
export const MAX_LINE_LENGTH = 16_000;

/** The file cannot be read at all: the job fails. */
export class ImportFileError extends Error {}

export type ImportRow = { line: number; values: Record<string, string> } | { line: number; problem: string };

export interface ImportFile {
  columns: string[];
  rows: ImportRow[];
}

/** A line's fields: split at commas not preceded by a backslash; "\," is a comma of the value. */
function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (char === '\\' && line[i + 1] === ',') {
      current += ',';
      i++;
    } else if (char === ',') {
      fields.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  fields.push(current.trim());
  return fields;
}

function decode(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ImportFileError('The file is not UTF-8 text.');
  }
}

/** Reads the file against the pool's columns (GetCSVHeader's); throws ImportFileError when it cannot be read. */
export function readImportFile(bytes: Buffer, expected: readonly string[]): ImportFile {
  const lines = decode(bytes).split(/\r?\n/);
  const header = lines[0] ?? '';
  if (header.trim() === '') throw new ImportFileError('The file has no header line.');
  const columns = splitFields(header);
  const known = new Set(expected);
  const unknown = columns.filter((c) => !known.has(c));
  if (unknown.length > 0) throw new ImportFileError(`The header has columns that are no attributes of this user pool: ${unknown.join(', ')}.`);
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0) throw new ImportFileError(`The header names ${[...new Set(repeated)].join(', ')} more than once.`);
  const missing = expected.filter((c) => !columns.includes(c));
  if (missing.length > 0) throw new ImportFileError(`The header lacks the columns ${missing.join(', ')} (GetCSVHeader lists them all).`);

  const rows: ImportRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === '') continue;
    const line = i + 1;
    if (rows.length === MAX_IMPORT_ROWS) throw new ImportFileError(`The file has more than ${MAX_IMPORT_ROWS} users.`);
    if (text.length > MAX_LINE_LENGTH) {
      rows.push({ line, problem: `The line is longer than ${MAX_LINE_LENGTH} characters.` });
      continue;
    }
    const fields = splitFields(text);
    if (fields.length !== columns.length) {
      rows.push({ line, problem: `The line has ${fields.length} values for the header's ${columns.length} columns.` });
      continue;
    }
    rows.push({ line, values: Object.fromEntries(columns.map((c, index) => [c, fields[index]!])) });
  }
  return { columns, rows };
}
