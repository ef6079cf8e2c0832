// Plan files are JSON with comments (the scaffold documents every field): parse them with
// Microsoft's jsonc-parser, and locate fields for editor diagnostics.
import { findNodeAtLocation, parse, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';

export class JsoncError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length: number,
  ) {
    super(message);
    this.name = 'JsoncError';
  }
}

/** The parser's error codes in words a user can act on (never "CommaExpected"). */
const syntaxWords: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'this number is not valid JSON',
  PropertyNameExpected: 'a property name in double quotes is expected',
  ValueExpected: 'a value is expected',
  ColonExpected: 'a colon (:) is expected after the property name',
  CommaExpected: 'a comma (,) is expected between items',
  CloseBraceExpected: 'a closing brace (}) is expected',
  CloseBracketExpected: 'a closing bracket (]) is expected',
  EndOfFileExpected: 'unexpected text after the end of the JSON value',
  InvalidCommentToken: 'this comment is not valid',
  UnexpectedEndOfComment: 'a comment is not closed (*/ missing)',
  UnexpectedEndOfString: 'a string is not closed (" missing)',
  UnexpectedEndOfNumber: 'a number ends too early',
  InvalidUnicode: 'invalid \\u escape in a string',
  InvalidEscapeCharacter: 'invalid escape (\\) in a string',
  InvalidCharacter: 'a control character inside a string',
};

/**
 * Parses JSON with comments and trailing commas. Syntax errors are reported all at once, in words,
 * each with its line and column; offset/length are the first one's.
 */
export function parseJsonc(text: string, source = 'input'): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const lines = errors.map((e) => {
      const { line, column } = lineColumn(text, e.offset);
      return `${source}:${line}:${column}: ${syntaxWords[printParseErrorCode(e.error)] ?? 'not valid JSON'}`;
    });
    throw new JsoncError(
      lines.length === 1 ? `${lines[0]} (not valid JSON)` : `not valid JSON:\n  ${lines.join('\n  ')}`,
      first.offset,
      first.length,
    );
  }
  return value;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** "mix[0].model" -> ['mix', 0, 'model']; threshold keys contain dots and stay whole. */
export function fieldPath(field: string): (string | number)[] {
  if (field.startsWith('thresholds.')) return ['thresholds', field.slice('thresholds.'.length)];
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** The text range of a field (its value, or its key when the value is missing), else of its nearest parent. */
export function findFieldRange(text: string, field: string): { offset: number; length: number } {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return { offset: 0, length: 0 };
  const path = fieldPath(field);
  for (let n = path.length; n > 0; n--) {
    const node = findNodeAtLocation(root, path.slice(0, n));
    if (node) {
      // Highlight the property key when the whole property is meant (e.g. an unknown field).
      const prop =
        node.parent?.type === 'property' && n === path.length ? node.parent.children?.[0] : undefined;
      const target = prop && (node.type === 'object' || node.type === 'array') ? prop : node;
      return { offset: target.offset, length: target.length };
    }
  }
  return { offset: root.offset, length: 1 };
}
