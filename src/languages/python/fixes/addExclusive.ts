// add-exclusive: SO_EXCLUSIVEADDRUSE on Windows before the bind, and SO_REUSEADDR kept off Windows
// (Winsock refuses both on one socket).
import type { BindFact, FileFacts } from '../../../analysis/facts';
import type { Fix, TextEdit } from '../../../analysis/fixes';
import { effectiveOptions, optionsOf } from '../../../analysis/socketModel';
import { lineStartAt } from '../../common/textEdits';
import type { SyntaxNode } from '../../treeSitter';
import type { SocketRecord } from '../socketRecords';
import { calleeOf } from '../syntax';
import type { FixContext } from './fixContext';
import { changeServerClass } from './serverClassEdits';
import { exclusiveLines, notWindows } from './socketCode';
import { wrapInIf } from './statements';

const TITLE = 'Use SO_EXCLUSIVEADDRUSE on Windows';

export function addExclusive(ctx: FixContext, record: SocketRecord, bind: BindFact, bindNode: SyntaxNode): Fix | null {
  if (!bind.platforms.includes('win32')) return null;
  const edits: TextEdit[] = [];
  if (record.kind === 'socket' || record.kind === 'implicit') {
    const receiver = calleeOf(bindNode)?.receiver?.text;
    const statement = ctx.lineStatement(bindNode);
    if (!receiver || !statement) return null;
    if (record.kind === 'socket' && record.node.endIndex > lineStartAt(ctx.text, statement.startIndex)) return null;
    guardExplicitReuse(ctx, ctx.facts, bind, edits);
    edits.push(ctx.insertBefore(statement, exclusiveLines(ctx, receiver, edits)));
    return { title: TITLE, edits };
  }
  if (record.kind === 'server') {
    const attributes: [string, string][] = [];
    if (effectiveOptions(ctx.facts, bind, 'win32').has('reuseaddr')) attributes.push(['allow_reuse_address', notWindows(ctx, edits)]);
    const beforeBind = exclusiveLines(ctx, 'self.socket', edits);
    if (!changeServerClass(ctx, record, 'Exclusive', { attributes, beforeBind }, edits)) return null;
    return { title: `${TITLE} (and no SO_REUSEADDR there)`, edits };
  }
  return null;
}

/** Explicit SO_REUSEADDR that runs on Windows goes under `if os.name != "nt":`. */
function guardExplicitReuse(ctx: FixContext, facts: FileFacts, bind: BindFact, edits: TextEdit[]): void {
  for (const option of optionsOf(facts, bind.socketId)) {
    if (option.option !== 'reuseaddr' || !option.enabled || option.timing !== 'before' || !option.platforms.includes('win32')) continue;
    const node = ctx.nodeAt(option.span, 'call');
    const statement = node ? ctx.lineStatement(node) : null;
    if (!statement || statement.type !== 'expression_statement') continue;
    edits.push(wrapInIf(ctx, statement, notWindows(ctx, edits)));
  }
}
