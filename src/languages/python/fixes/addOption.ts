// add-option: turn SO_REUSEADDR / SO_REUSEPORT on before the bind, in the API's own idiom.
import type { BindFact } from '../../../analysis/facts';
import type { Fix, TextEdit } from '../../../analysis/fixes';
import { lineStartAt } from '../../common/textEdits';
import type { SyntaxNode } from '../../treeSitter';
import type { SocketRecord } from '../socketRecords';
import { calleeOf } from '../syntax';
import type { FixContext } from './fixContext';
import { changeServerClass } from './serverClassEdits';
import { hasReusePort, notWindows, reuseLines } from './socketCode';
import { setKeywordArgument } from './statements';

const NAMES = { reuseaddr: 'SO_REUSEADDR', reuseport: 'SO_REUSEPORT' } as const;

export function addOption(ctx: FixContext, record: SocketRecord, bind: BindFact, bindNode: SyntaxNode, option: 'reuseaddr' | 'reuseport'): Fix | null {
  const edits: TextEdit[] = [];
  // SO_REUSEADDR on Windows is the hijack risk; a group receiver needs it there all the same.
  const guard = bind.platforms.includes('win32') && !(record.multicast && record.protocol === 'udp');
  let ok: boolean;
  switch (record.kind) {
    case 'socket':
    case 'implicit':
      ok = beforeBind(ctx, record, bindNode, option, guard, edits);
      break;
    case 'server': {
      const attribute = option === 'reuseaddr' ? 'allow_reuse_address' : 'allow_reuse_port';
      const value = option === 'reuseaddr' && guard ? notWindows(ctx, edits) : 'True';
      ok = changeServerClass(ctx, record, 'Reusable', { attributes: [[attribute, value]] }, edits);
      break;
    }
    case 'api':
      ok = apiKeyword(ctx, record, option, bind, edits);
      break;
  }
  if (!ok || edits.length === 0) return null;
  return { title: `Set ${NAMES[option]} before binding${guard && option === 'reuseaddr' ? ' (not on Windows)' : ''}`, edits };
}

function beforeBind(ctx: FixContext, record: SocketRecord, bindNode: SyntaxNode, option: 'reuseaddr' | 'reuseport', guard: boolean, edits: TextEdit[]): boolean {
  const receiver = calleeOf(bindNode)?.receiver?.text;
  const statement = ctx.lineStatement(bindNode);
  if (!receiver || !statement) return false;
  // `s = socket.socket(); s.bind(...)` on one line: the new line would run before the socket exists.
  if (record.kind === 'socket' && record.node.endIndex > lineStartAt(ctx.text, statement.startIndex)) return false;
  edits.push(ctx.insertBefore(statement, reuseLines(ctx, receiver, option, guard, edits)));
  return true;
}

function apiKeyword(ctx: FixContext, record: SocketRecord, option: 'reuseaddr' | 'reuseport', bind: BindFact, edits: TextEdit[]): boolean {
  const call = record.node;
  const reusePortValue = (): string => (bind.platforms.includes('win32') ? hasReusePort(ctx, edits) : 'True');
  let edit: TextEdit | null = null;
  switch (record.api) {
    case 'socket.create_server':
    case 'loop.create_server':
    case 'asyncio.start_server':
      // SO_REUSEADDR is already the default on Unix; only SO_REUSEPORT has a keyword to add.
      if (option === 'reuseport') edit = setKeywordArgument(ctx, call, 'reuse_port', reusePortValue());
      break;
    case 'loop.create_datagram_endpoint':
      // reuse_address=True raises ValueError since Python 3.8.1: reuse_port is the only way.
      edit = setKeywordArgument(ctx, call, 'reuse_port', reusePortValue());
      break;
    case 'reactor.listenMulticast':
      edit = setKeywordArgument(ctx, call, 'listenMultiple', 'True');
      break;
  }
  if (!edit) return false;
  edits.push(edit);
  return true;
}
