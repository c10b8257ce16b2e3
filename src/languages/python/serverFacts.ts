// socketserver-family instances: the bind (at creation, or at server_bind() with
// bind_and_activate=False), the runtime default, and the options set by class attributes, by
// assignments to the class or the instance, and by overrides of server_bind / __init__.
import type { Platform } from '../../analysis/facts';
import { intersect } from '../common/platformGuards';
import type { SyntaxNode } from '../treeSitter';
import type { AttributeSet, CallSite, ClassSite } from './collect';
import type { BuildContext } from './creations';
import { EVERYWHERE_REUSEADDR } from './runtimeDefaults';
import type { Scope } from './scopes';
import { recordSetsockopt } from './socketOptions';
import type { SocketRecord } from './socketRecords';
import { callArguments } from './syntax';
import { isMulticastHost } from './values';

const UNIX: Platform[] = ['linux', 'darwin'];

/** A setsockopt on `self.socket` or `self.allow_reuse_* = ...` inside a server subclass's method. */
export interface ServerHook {
  node: SyntaxNode;
  scope: Scope;
  call?: CallSite;
  set?: AttributeSet;
}

/** A socketserver-family instance: its bind, runtime default and class/instance attributes. */
export function completeServer(ctx: BuildContext, record: SocketRecord, hooks: ReadonlyMap<ClassSite, ServerHook[]>, classPatches: readonly AttributeSet[]): void {
  const server = record.server;
  const address = record.serverAddress;
  if (!server || !address) return;
  const bindCall = record.bindAndActivate ? null : (record.serverBindCalls[0] ?? null);
  const bindNode = bindCall?.node ?? record.node;
  if (isMulticastHost(address.host.host)) record.multicast = true;
  record.binds.push({
    fails: address.fails,
    node: bindNode,
    scope: bindCall?.scope ?? record.scope,
    host: address.host,
    port: address.port,
    tuple: address.tuple,
    implicit: server.base.reuseAddress ? EVERYWHERE_REUSEADDR : {},
    bindsAtCreation: record.bindAndActivate,
  });
  for (const attribute of ['allow_reuse_address', 'allow_reuse_port'] as const) {
    const found = ctx.servers.attribute(server, attribute);
    for (const definition of found?.definitions ?? []) {
      serverOption(ctx, record, attribute, definition.value, definition.node, found?.site.scope ?? record.scope, 'before');
    }
  }
  const names = new Set([server.name, server.base.api, ...server.chain.map((c) => c.name)]);
  for (const patch of classPatches) {
    const patched = ctx.servers.resolve(patch.object, patch.scope);
    const patchedName = patched?.chain[0]?.name ?? patched?.base.api;
    if (!patchedName || !names.has(patchedName)) continue;
    const late = patch.scope === record.scope && patch.node.startIndex > record.node.startIndex && record.bindAndActivate;
    serverOption(ctx, record, patch.attribute, patch.value, patch.node, patch.scope, late ? 'after' : 'before');
  }
  for (const set of record.instanceSets) {
    const late = record.bindAndActivate || record.serverBindCalls.some((c) => c.node.startIndex < set.node.startIndex);
    serverOption(ctx, record, set.attribute, set.value, set.node, set.scope, late ? 'after' : 'before');
  }
  for (const site of server.chain) {
    for (const hook of hooks.get(site) ?? []) {
      const timing = hookTiming(ctx, hook, record);
      if (!timing) continue;
      if (hook.call) recordSetsockopt(ctx, record, hook.node, hook.scope, timing);
      else if (hook.set) serverOption(ctx, record, hook.set.attribute, hook.set.value, hook.node, hook.scope, timing);
    }
  }
}

function serverOption(ctx: BuildContext, record: SocketRecord, attribute: string, value: SyntaxNode | null, node: SyntaxNode, scope: Scope, timing: 'before' | 'after'): void {
  const enabled = ctx.guards.enabledBy(value, scope, ctx.evaluator);
  if (!enabled) {
    record.configurable = true;
    return;
  }
  const option = attribute === 'allow_reuse_address' ? 'reuseaddr' : 'reuseport';
  let where = ctx.guards.platformsOf(node);
  // server_bind sets SO_REUSEPORT only `if hasattr(socket, "SO_REUSEPORT")`.
  if (option === 'reuseport') where = intersect(where, UNIX);
  const on = intersect(where, enabled.enabled);
  const off = intersect(where, enabled.disabled);
  if (on.length > 0) record.options.push({ option, enabled: true, node, scope, platforms: on, timing });
  if (off.length > 0) record.options.push({ option, enabled: false, node, scope, platforms: off, timing });
}

/** When an override's setting takes effect relative to the base class's bind. */
function hookTiming(ctx: BuildContext, hook: ServerHook, record: SocketRecord): 'before' | 'after' | null {
  const method = hook.scope.name;
  const start = hook.node.startIndex;
  const calls = ctx.collected.calls.filter((c) => c.scope === hook.scope);
  if (method === 'server_bind') {
    const base = calls.find((c) => c.name === 'server_bind' && c.receiver !== 'self');
    return base && base.node.startIndex < start ? 'after' : 'before';
  }
  if (method === '__init__') {
    if (calls.some((c) => c.name === 'server_bind' && c.receiver === 'self' && c.node.startIndex > start)) return 'before';
    const init = calls.find((c) => c.name === '__init__' && c.node.startIndex < start);
    if (!init) return hook.set ? 'before' : null;
    const activate = callArguments(init.node).keywords.get('bind_and_activate');
    return activate?.type === 'false' || !record.bindAndActivate ? 'before' : 'after';
  }
  if (method === 'server_activate') return 'after';
  return null;
}
