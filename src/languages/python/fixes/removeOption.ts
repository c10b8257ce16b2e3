// remove-option: drop an option setting (reuse on a unicast UDP socket).
import type { Fix } from '../../../analysis/fixes';
import type { SyntaxNode } from '../../treeSitter';
import type { FixContext } from './fixContext';
import { deleteStatement, removeKeywordArgument } from './statements';

export function removeOption(ctx: FixContext, optionNode: SyntaxNode, name: string): Fix | null {
  const title = `Remove ${name}`;
  if (optionNode.type === 'keyword_argument') return { title, edits: [removeKeywordArgument(ctx, optionNode)] };
  const statement = ctx.lineStatement(optionNode);
  if (!statement || statement.type !== 'expression_statement' || statement.firstNamedChild?.startIndex !== optionNode.startIndex) return null;
  const edit = deleteStatement(ctx, statement);
  return edit ? { title, edits: [edit] } : null;
}
