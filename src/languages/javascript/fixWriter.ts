// Fixes written the JavaScript way: reuse options live in the options object of the call that binds
// (`dgram.createSocket({ type, reuseAddr })`, `server.listen({ port, host, reusePort })`, `Deno.listen({ ... })`),
// so every fix edits or writes that object. Each fix first finds the request's facts again in the
// current text; when they are gone (the fix was applied already) it returns null.
import type { BindFact, OptionFact, SocketFact } from '../../analysis/facts';
import type { Fix, FixRequest, TextEdit } from '../../analysis/fixes';
import type { JsAnalysis, JsBind, JsOption, JsSocket } from './factExtractor';
import { addProperty, objectText, removeProperty, setPropertyValue } from './objectEdits';
import { isUwsModule, keyForOption, notWindowsValue } from './socketApis';
import { EXCLUSIVE_NAME } from './uwsListen';
import { callArguments, findEntry, objectShape, stringValue, unwrap } from './syntax';
import type { SyntaxNode } from '../treeSitter';

function sameSpan(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start === b.start && a.end === b.end;
}

function findSocket(analysis: JsAnalysis, socket: SocketFact): JsSocket | undefined {
  return analysis.sockets.find((s) => sameSpan(s.fact.span, socket.span) && s.fact.api === socket.api);
}

function findBind(analysis: JsAnalysis, bind: BindFact): JsBind | undefined {
  return analysis.binds.find((b) => sameSpan(b.fact.span, bind.span));
}

function findOption(analysis: JsAnalysis, option: OptionFact): JsOption | undefined {
  return analysis.options.find((o) =>
    sameSpan(o.fact.span, option.span) && o.fact.option === option.option && o.fact.enabled === option.enabled
    && o.fact.platforms.length === option.platforms.length && o.fact.platforms.every((p) => option.platforms.includes(p)));
}

export class FixWriter {
  constructor(private readonly analysis: JsAnalysis, private readonly text: string) {}

  write(request: FixRequest): Fix | null {
    switch (request.kind) {
      case 'add-option':
        return this.addOption(request.option, request.socket, request.bind);
      case 'guard-not-windows':
        return this.guardNotWindows(request.option);
      case 'remove-option':
        return this.removeOption(request.option);
      case 'fix-exclusive-constant': {
        const constant = this.analysis.facts.constants.find((c) => sameSpan(c.span, request.constant.span));
        if (!constant || constant.value === -5) return null;
        return { title: `Set ${constant.name} to -5 (~SO_REUSEADDR)`, edits: [{ ...constant.valueSpan, newText: '-5' }] };
      }
      case 'add-exclusive':
        return this.addExclusive(request.bind);
      // Node has no setsockopt to move, and no SO_EXCLUSIVEADDRUSE switch (`exclusive` is about cluster handles).
      case 'move-before-bind':
        return null;
    }
  }

  private addOption(option: 'reuseaddr' | 'reuseport', socketFact: SocketFact, bindFact: BindFact): Fix | null {
    const socket = findSocket(this.analysis, socketFact);
    const bind = findBind(this.analysis, bindFact);
    if (!socket || !bind || bind.socket !== socket) return null;
    // uSockets sets reuse by itself; only its exclusive flag can change that.
    if (socket.flavor === 'uws') return null;
    // A listen() call takes its own options, whatever made the server.
    const listens = !bind.fact.bindsAtCreation && socket.fact.protocol === 'tcp';
    const flavor = listens ? 'node-net' : socket.flavor;
    const key = keyForOption(flavor, option);
    if (!key) return null;
    const title = `Add \`${key}: true\` to the socket options`;
    if (listens) return this.wrap(title, this.listenWithOption(bind, key));
    const creation = socket.creation;
    if (!creation) return null;
    if (creation.flavor === 'node-dgram') return this.wrap(title, this.createSocketWithOption(creation.node, key));
    return this.wrap(title, creation.options ? this.objectWithOption(creation.options, key) : null);
  }

  /** uWebSockets.js: `listen(port, cb)` becomes `listen(port, uWS.LIBUS_LISTEN_EXCLUSIVE_PORT, cb)`. */
  private addExclusive(bindFact: BindFact): Fix | null {
    const bind = findBind(this.analysis, bindFact);
    const uws = bind?.uws;
    if (!bind || !uws?.port || uws.exclusive !== 'no') return null;
    const name = exclusiveFlagName(this.analysis);
    if (!name) return null;
    const edits: TextEdit[] = [...name.edits];
    const flags = uws.flags ? unwrap(uws.flags) : null;
    if (!uws.flags || !flags) edits.push({ start: uws.port.endIndex, end: uws.port.endIndex, newText: `, ${name.text}` });
    // LIBUS_LISTEN_DEFAULT, 0, undefined: nothing to keep. Other flags keep their bits.
    else if (/LIBUS_LISTEN_DEFAULT$|^0$|^undefined$|^null$/.test(flags.text)) edits.push({ start: uws.flags.startIndex, end: uws.flags.endIndex, newText: name.text });
    else edits.push({ start: uws.flags.startIndex, end: uws.flags.endIndex, newText: `${uws.flags.text} | ${name.text}` });
    return { title: `Listen with ${EXCLUSIVE_NAME} (SO_EXCLUSIVEADDRUSE on Windows, no SO_REUSEPORT on Unix)`, edits };
  }

  private wrap(title: string, edit: TextEdit | null): Fix | null {
    return edit ? { title, edits: [edit] } : null;
  }

  /** Sets `key: true` in an object literal, adding it when absent. */
  private objectWithOption(object: SyntaxNode, key: string): TextEdit | null {
    const shape = objectShape(object);
    const existing = findEntry(shape, key);
    if (existing && existing.node.parent?.startIndex === object.startIndex) return setPropertyValue(existing.node, key, 'true');
    // A key that only a nested spread sets cannot be changed safely from here.
    if (existing) return null;
    return addProperty(this.text, object, key, 'true');
  }

  /** `createSocket('udp4')` becomes `createSocket({ type: 'udp4', reuseAddr: true })`. */
  private createSocketWithOption(call: SyntaxNode, key: string): TextEdit | null {
    const first = callArguments(call)[0];
    if (!first) return null;
    const object = this.analysis.objectLiteral(first);
    if (object) return this.objectWithOption(object, key);
    const inner = unwrap(first);
    if (!inner || (inner.type !== 'string' && inner.type !== 'identifier' && inner.type !== 'member_expression')) return null;
    if (inner.type === 'string' && stringValue(inner) === null) return null;
    return { start: first.startIndex, end: first.endIndex, newText: objectText([`type: ${first.text}`, `${key}: true`]) };
  }

  /** `listen(port, host, cb)` becomes `listen({ port, host, reusePort: true }, cb)`. */
  private listenWithOption(bind: JsBind, key: string): TextEdit | null {
    const args = bind.args;
    if (!args) return null;
    if (args.form === 'options') return args.options ? this.objectWithOption(args.options, key) : null;
    if (args.form !== 'positional' || !args.port || args.hostState === 'unknown') return null;
    const all = callArguments(bind.call);
    const callbacks = new Set(args.callbacks.map((c) => c.startIndex));
    const leading = all.filter((a) => !callbacks.has(a.startIndex));
    // Only port/host/backlog before the callbacks can fold into one object.
    if (leading.some((a, i) => all[i] !== a)) return null;
    const last = leading[leading.length - 1];
    const first = leading[0];
    if (!first || !last) return null;
    const entries = [entryText('port', args.port)];
    if (args.host) entries.push(entryText('host', args.host));
    if (args.backlog) entries.push(entryText('backlog', args.backlog));
    entries.push(`${key}: true`);
    return { start: first.startIndex, end: last.endIndex, newText: objectText(entries) };
  }

  private guardNotWindows(optionFact: OptionFact): Fix | null {
    const option = findOption(this.analysis, optionFact);
    if (!option) return null;
    const guard = notWindowsValue(option.flavor, option.key);
    if (!guard) return null;
    const property = option.property;
    const title = `Set \`${option.key}\` only where it is safe (\`${guard}\`)`;
    if (property.type === 'shorthand_property_identifier') {
      return this.wrap(title, setPropertyValue(property, option.key, `${property.text} && ${guard}`));
    }
    const value = unwrap(property.childForFieldName('value'));
    if (!value) return null;
    const newValue = value.type === 'true' ? guard : `(${value.text}) && ${guard}`;
    return this.wrap(title, setPropertyValue(property, option.key, newValue));
  }

  private removeOption(optionFact: OptionFact): Fix | null {
    const option = findOption(this.analysis, optionFact);
    if (!option) return null;
    return { title: `Remove \`${option.key}\``, edits: [removeProperty(this.text, option.property)] };
  }
}

/**
 * How this file can name LIBUS_LISTEN_EXCLUSIVE_PORT: an imported name, a member of the module object,
 * or a name added to the file's `{ App }` import or destructuring require.
 */
function exclusiveFlagName(analysis: JsAnalysis): { text: string; edits: TextEdit[] } | null {
  const { aliases } = analysis;
  const imported = aliases.localName(isUwsModule, EXCLUSIVE_NAME);
  if (imported) return { text: imported, edits: [] };
  const module = aliases.localName(isUwsModule, null);
  if (module) return { text: `${module}.${EXCLUSIVE_NAME}`, edits: [] };
  const list = aliases.namedList(isUwsModule);
  const last = list?.namedChildren.filter((c) => c !== null && c.type !== 'comment').pop();
  if (!list || !last) return null;
  return { text: EXCLUSIVE_NAME, edits: [{ start: last.endIndex, end: last.endIndex, newText: `, ${EXCLUSIVE_NAME}` }] };
}

/** `port: PORT`, or the shorthand `port` when the argument is a variable of that name. */
function entryText(key: string, node: SyntaxNode): string {
  return node.type === 'identifier' && node.text === key ? key : `${key}: ${node.text}`;
}
