// What the readers of socket APIs share: the event records they produce and the writer that files
// them (keys, platforms, binds with re-resolvable addresses).
import type { Platform, ReuseOption, Span } from '../../analysis/facts';
import type { BindEvent, SocketEvent, SocketUse } from '../common/socketEvents';
import type { SyntaxNode } from '../treeSitter';
import type { Endpoint } from './cAddress';
import type { Binding, CProgram, Ctx, FnScope } from './cProgram';
import { rootIdentifier } from './cSyntax';

/**
 * An event, with for binds how to recompute host and port from another call site's arguments, and for
 * options whose value is not known here (`&on` with `on` a parameter) how to read it there.
 */
export type Recorded = SocketEvent & { resolve?: Resolver; resolveEnabled?: EnabledResolver };
export type Resolver = (env: Map<string, Binding> | null) => Endpoint;
export type EnabledResolver = (env: Map<string, Binding> | null) => boolean | null;

export interface KeyInfo {
  key: string;
}

export interface Run {
  fn: FnScope;
  ctx: Ctx;
  events: Recorded[];
}

/** SO_REUSEADDR set by a runtime on Linux and macOS only. */
export const UNIX_RA: Partial<Record<Platform, ReuseOption[]>> = { linux: ['reuseaddr'], darwin: ['reuseaddr'] };

/** How API readers record what they see. */
export interface EventWriter {
  readonly program: CProgram;
  keyOf(node: SyntaxNode, run: Run): KeyInfo;
  ctxAt(run: Run, node: SyntaxNode): Ctx;
  platforms(run: Run, node: SyntaxNode): Platform[];
  span(node: SyntaxNode): Span;
  push(run: Run, event: Recorded): void;
  use(run: Run, node: SyntaxNode, use: SocketUse, at: SyntaxNode): void;
  pushBind(run: Run, key: KeyInfo, atNode: SyntaxNode, span: Span, resolve: (ctx: Ctx) => Endpoint, implicit: BindEvent['implicit'], bindsAtCreation: boolean): void;
}

export function endpointFields(e: Endpoint): Pick<BindEvent, 'port' | 'host' | 'hostKind' | 'explicitWildcard' | 'groupAddress'> {
  return { port: e.port, host: e.host, hostKind: e.hostKind, explicitWildcard: e.explicitWildcard, ...(e.group ? { groupAddress: true } : {}) };
}

/** The variable a call's result is stored in: `int fd = socket(...)`, `fd = socket(...)`, `if ((fd = socket(...)) < 0)`. */
export function assignmentTarget(call: SyntaxNode): SyntaxNode | null {
  let child = call;
  let parent = call.parent;
  for (let i = 0; parent && i < 6; i++) {
    if (parent.type === 'parenthesized_expression' || parent.type === 'cast_expression') {
      child = parent;
      parent = parent.parent;
      continue;
    }
    if (parent.type === 'init_declarator' && parent.childForFieldName('value')?.equals(child)) {
      const d = parent.childForFieldName('declarator');
      if (!d) return null;
      let n: SyntaxNode | null = d;
      while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
      return n;
    }
    if (parent.type === 'assignment_expression' && parent.childForFieldName('right')?.equals(child)) return parent.childForFieldName('left');
    if (parent.type === 'new_expression') {
      child = parent;
      parent = parent.parent;
      continue;
    }
    return null;
  }
  return null;
}

/**
 * Is the variable at the root of `receiver` of a library type: declared with a type matching `type`
 * (in the function or the file), or assigned a value whose text matches it (`auto app = uWS::App()`).
 */
export function receiverTypedAs(w: EventWriter, run: Run, receiver: SyntaxNode, type: RegExp): boolean {
  const root = rootIdentifier(receiver);
  if (!root) return false;
  const fn = run.ctx.fn;
  const declared = fn?.types.get(root) ?? w.program.declaredTypes.get(root) ?? '';
  if (type.test(declared)) return true;
  return (fn?.writes.get(root) ?? []).some((write) => type.test(write.value?.text ?? ''));
}
