// socketserver-family servers bind in their constructor, so options go on the class: as class
// attributes (`allow_reuse_address = ...`) or a `server_bind` override, in the file's own subclass or
// in a new subclass declared just before the instantiation.
import type { TextEdit } from '../../../analysis/fixes';
import type { SyntaxNode } from '../../treeSitter';
import type { SocketRecord } from '../socketRecords';
import { argument, callArguments } from '../syntax';
import type { FixContext } from './fixContext';
import { insertAtBodyTop, setClassAttribute, setKeywordArgument } from './statements';

export interface ClassChange {
  /** Class attributes to set: name → Python expression. */
  attributes: [string, string][];
  /** Lines to run at the start of `server_bind`, before the base class binds. */
  beforeBind?: string[];
}

/** Adds to `edits` what applies `change` to the class a server record instantiates; false when no edit is safe. */
export function changeServerClass(ctx: FixContext, record: SocketRecord, prefix: string, change: ClassChange, edits: TextEdit[]): boolean {
  const server = record.server;
  if (!server) return false;
  const own = server.chain[0];
  if (own) {
    const inserted: string[] = [];
    for (const [name, value] of change.attributes) {
      const defined = (own.attributes.get(name) ?? []).some((a) => a.node.parent?.parent?.parent?.startIndex === own.node.startIndex);
      if (defined) {
        const edit = setClassAttribute(ctx, own, name, value);
        if (edit) edits.push(edit);
      } else {
        inserted.push(`${name} = ${value}`);
      }
    }
    if (change.beforeBind) {
      const method = own.methods.get('server_bind')?.node;
      if (method) {
        const edit = insertAtBodyTop(ctx, method, change.beforeBind);
        if (!edit) return false;
        edits.push(edit);
      } else {
        if (inserted.length > 0) inserted.push('');
        inserted.push(...serverBindMethod(ctx, change.beforeBind));
      }
    }
    if (inserted.length > 0) {
      const edit = insertAtBodyTop(ctx, own.node, inserted);
      if (!edit) return false;
      edits.push(edit);
    }
    return true;
  }
  return declareSubclass(ctx, record, prefix, change, edits);
}

function serverBindMethod(ctx: FixContext, beforeBind: readonly string[]): string[] {
  return ['def server_bind(self):', ...beforeBind.map((l) => ctx.unit + l), `${ctx.unit}super().server_bind()`];
}

/** `class ReusableTCPServer(socketserver.TCPServer): ...` before the statement that instantiates it. */
function declareSubclass(ctx: FixContext, record: SocketRecord, prefix: string, change: ClassChange, edits: TextEdit[]): boolean {
  const call = record.node;
  const statement = ctx.lineStatement(call);
  if (!statement) return false;
  const makeServer = record.api === 'wsgiref.simple_server.make_server';
  const callee = call.childForFieldName('function');
  if (!callee) return false;
  let base: string | null;
  let serverClassArg: SyntaxNode | null = null;
  if (makeServer) {
    serverClassArg = argument(callArguments(call), 'server_class', 3);
    base = serverClassArg?.text ?? wsgiServerName(ctx, callee, edits);
  } else {
    base = callee.text;
  }
  if (!base) return false;
  const name = `${prefix}${base.replace(/^.*\./, '')}`;
  // The name is taken: leave it to a human rather than shadow a class.
  if (ctx.analysis.context.collected.classes.some((c) => c.name === name)) return false;
  const body = change.attributes.map(([n, v]) => `${n} = ${v}`);
  if (change.beforeBind) {
    if (body.length > 0) body.push('');
    body.push(...serverBindMethod(ctx, change.beforeBind));
  }
  edits.push(ctx.insertBefore(statement, [`class ${name}(${base}):`, ...body.map((l) => (l === '' ? '' : ctx.unit + l)), '']));
  if (makeServer) {
    const edit = serverClassArg ? ctx.replace(serverClassArg, name) : setKeywordArgument(ctx, call, 'server_class', name);
    if (!edit) return false;
    edits.push(edit);
  } else {
    edits.push(ctx.replace(callee, name));
  }
  return true;
}

/** How to name wsgiref's WSGIServer next to a `make_server` callee. */
function wsgiServerName(ctx: FixContext, callee: SyntaxNode, edits: TextEdit[]): string | null {
  if (callee.type === 'attribute') {
    const object = callee.childForFieldName('object')?.text;
    return object ? `${object}.WSGIServer` : null;
  }
  return ctx.importedName('wsgiref.simple_server', 'WSGIServer', edits);
}
