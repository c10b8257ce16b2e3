// guard-not-windows: keep an explicit SO_REUSEADDR off Windows, where it lets others hijack the port.
import type { Fix, TextEdit } from '../../../analysis/fixes';
import type { SyntaxNode } from '../../treeSitter';
import type { FixContext } from './fixContext';
import { notWindows } from './socketCode';
import { wrapInIf } from './statements';

const TITLE = 'Skip SO_REUSEADDR on Windows';

export function guardNotWindows(ctx: FixContext, optionNode: SyntaxNode): Fix | null {
  const edits: TextEdit[] = [];
  if (optionNode.type === 'call') {
    const statement = ctx.lineStatement(optionNode);
    if (!statement || statement.type !== 'expression_statement' || statement.firstNamedChild?.startIndex !== optionNode.startIndex) return null;
    edits.push(wrapInIf(ctx, statement, notWindows(ctx, edits)));
    return { title: TITLE, edits };
  }
  // `allow_reuse_address = True`, `srv.allow_reuse_address = 1`, `reuse_address=True`.
  const value = optionNode.type === 'assignment' ? optionNode.childForFieldName('right') : optionNode.type === 'keyword_argument' ? optionNode.childForFieldName('value') : null;
  if (!value) return null;
  const condition = notWindows(ctx, edits);
  const literal = value.type === 'true' || value.type === 'integer';
  edits.push(ctx.replace(value, literal ? condition : `(${value.text}) and ${condition}`));
  return { title: TITLE, edits };
}
