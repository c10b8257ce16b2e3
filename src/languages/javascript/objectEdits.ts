// Edits to object literals that keep the file's layout: add a property (inline or on its own line,
// with or without a trailing comma), set a property's value, remove a property and its comma.
import type { TextEdit } from '../../analysis/fixes';
import { deleteLines, indentationAt, lineEndAt, lineEnding, lineStartAt } from '../common/textEdits';
import type { SyntaxNode } from '../treeSitter';

function properties(object: SyntaxNode): SyntaxNode[] {
  return object.namedChildren.filter((n): n is SyntaxNode => n !== null && n.type !== 'comment');
}

/** The `,` token right after `node` inside its parent, if any. */
function commaAfter(node: SyntaxNode): SyntaxNode | null {
  const next = node.nextSibling;
  return next && next.type === ',' ? next : null;
}

/** Adds `key: value` as the object's last property. */
export function addProperty(text: string, object: SyntaxNode, key: string, value: string): TextEdit {
  const props = properties(object);
  const last = props[props.length - 1];
  const entry = `${key}: ${value}`;
  if (!last) {
    // `{}` or `{ }`
    return { start: object.startIndex, end: object.endIndex, newText: `{ ${entry} }` };
  }
  const comma = commaAfter(last);
  const multiline = text.slice(object.startIndex, object.endIndex).includes('\n')
    && lineStartAt(text, last.startIndex) > lineStartAt(text, object.startIndex);
  if (multiline) {
    const eol = lineEnding(text);
    const indent = indentationAt(text, last.startIndex);
    if (comma) return { start: comma.endIndex, end: comma.endIndex, newText: `${eol}${indent}${entry},` };
    return { start: last.endIndex, end: last.endIndex, newText: `,${eol}${indent}${entry}` };
  }
  if (comma) return { start: comma.endIndex, end: comma.endIndex, newText: ` ${entry},` };
  return { start: last.endIndex, end: last.endIndex, newText: `, ${entry}` };
}

/** Replaces a pair's value, or turns a shorthand `{ key }` into `{ key: value }`. */
export function setPropertyValue(property: SyntaxNode, key: string, value: string): TextEdit | null {
  if (property.type === 'shorthand_property_identifier') {
    return { start: property.startIndex, end: property.endIndex, newText: `${key}: ${value}` };
  }
  const current = property.childForFieldName('value');
  if (!current) return null;
  if (current.text === value) return null;
  return { start: current.startIndex, end: current.endIndex, newText: value };
}

/** Removes a property with its comma; a property alone on its line goes with its line. */
export function removeProperty(text: string, property: SyntaxNode): TextEdit {
  const object = property.parent;
  const comma = commaAfter(property);
  const end = comma ? comma.endIndex : property.endIndex;
  const lineStart = lineStartAt(text, property.startIndex);
  const before = text.slice(lineStart, property.startIndex);
  const after = text.slice(end, lineEndAt(text, end));
  if (/^\s*$/.test(before) && /^\s*(\/\/.*)?$/.test(after)) return deleteLines(text, property.startIndex, end);
  const props = object ? properties(object) : [];
  const index = props.findIndex((p) => p.startIndex === property.startIndex);
  const next = props[index + 1];
  const previous = props[index - 1];
  if (next) return { start: property.startIndex, end: next.startIndex, newText: '' };
  if (previous) {
    const previousComma = commaAfter(previous);
    return { start: previousComma ? previousComma.startIndex : previous.endIndex, end: comma ? comma.startIndex : property.endIndex, newText: '' };
  }
  // The only property: keep `{ }` tidy.
  return { start: property.startIndex, end, newText: '' };
}

/** An object literal's text for new code, laid out like the call it goes into. */
export function objectText(entries: readonly string[]): string {
  return `{ ${entries.join(', ')} }`;
}
