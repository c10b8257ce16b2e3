// move-before-bind: an option set once the socket is bound moves to just before the bind; a
// socketserver attribute set on the instance moves into the class.
import type { Fix, TextEdit } from '../../../analysis/fixes';
import type { SyntaxNode } from '../../treeSitter';
import type { SocketRecord } from '../socketRecords';
import { statementOf } from '../syntax';
import type { FixContext } from './fixContext';
import { changeServerClass } from './serverClassEdits';
import { deleteStatement } from './statements';

export function moveBeforeBind(ctx: FixContext, record: SocketRecord, optionNode: SyntaxNode, bindNode: SyntaxNode): Fix | null {
  const edits: TextEdit[] = [];
  const title = 'Set the option before the socket is bound';
  if (record.kind === 'server' && optionNode.type === 'assignment') {
    const target = optionNode.childForFieldName('left');
    const value = optionNode.childForFieldName('right');
    const attribute = target?.childForFieldName('attribute')?.text;
    const object = target?.childForFieldName('object')?.text;
    if (!target || !value || !attribute || !object) return null;
    if (record.bindAndActivate && object !== 'self' && record.variable === object) {
      // srv.allow_reuse_address = True after srv = TCPServer(...): the constructor already bound.
      const statement = ctx.lineStatement(optionNode);
      const removal = statement ? deleteStatement(ctx, statement) : null;
      if (!removal || !changeServerClass(ctx, record, 'Reusable', { attributes: [[attribute, value.text]] }, edits)) return null;
      edits.push(removal);
      return { title: `Set ${attribute} on the class, before the constructor binds`, edits };
    }
  }
  // The statement that binds: the explicit bind, server_bind(), or the constructor itself.
  const moved = movableStatement(ctx, optionNode);
  const anchor = ctx.lineStatement(anchorFor(ctx, record, optionNode, bindNode));
  if (!moved || !anchor) return null;
  const hoisted = hoistInto(moved, anchor);
  if (!hoisted || hoisted.startIndex < anchor.startIndex) return null;
  const lines = ctx.statementLines(hoisted);
  edits.push({ start: lines.start, end: lines.end, newText: '' });
  edits.push({ start: ctx.statementLines(anchor).start, end: ctx.statementLines(anchor).start, newText: lines.text.endsWith('\n') ? lines.text : lines.text + ctx.eol });
  return { title, edits };
}

/** For an override of server_bind, the base call; otherwise the bind the request names. */
function anchorFor(ctx: FixContext, record: SocketRecord, optionNode: SyntaxNode, bindNode: SyntaxNode): SyntaxNode {
  if (record.kind !== 'server') return bindNode;
  // Inside an override: before the base class's server_bind() or __init__() (which binds).
  const method = ctx.analysis.context.collected.calls.find((c) => (c.name === 'server_bind' || c.name === '__init__') && c.receiver !== 'self'
    && c.scope.kind === 'function' && c.scope.node.startIndex <= optionNode.startIndex && optionNode.endIndex <= c.scope.node.endIndex);
  return method?.node ?? bindNode;
}

/** The statement holding the option, when it holds nothing else that matters. */
function movableStatement(ctx: FixContext, node: SyntaxNode): SyntaxNode | null {
  const statement = ctx.lineStatement(node);
  if (!statement) return null;
  if (statement.type !== 'expression_statement') return null;
  // Nothing after it on its line but a comment.
  const end = ctx.text.indexOf('\n', statement.endIndex);
  const rest = ctx.text.slice(statement.endIndex, end < 0 ? undefined : end);
  return /^\s*(#.*)?$/.test(rest) ? statement : null;
}

/** The statement to move so that it lands in the anchor's block: itself, or a guard `if` around it alone. */
function hoistInto(statement: SyntaxNode, anchor: SyntaxNode): SyntaxNode | null {
  const sameBlock = (a: SyntaxNode, b: SyntaxNode): boolean => a.parent !== null && b.parent !== null && a.parent.startIndex === b.parent.startIndex && a.parent.endIndex === b.parent.endIndex;
  if (sameBlock(statement, anchor)) return statement;
  const block = statement.parent;
  const owner = block?.parent;
  if (owner?.type === 'if_statement' && block && block.namedChildren.filter((c) => c !== null && c.type !== 'comment').length === 1
    && owner.childrenForFieldName('alternative').length === 0) {
    const outer = statementOf(owner);
    if (sameBlock(outer, anchor)) return outer;
  }
  return null;
}
