// Socket options set in Go code: `SetsockoptInt(fd, SOL_SOCKET, SO_REUSEPORT, 1)` calls inside a
// ListenConfig.Control callback (or a RawConn.Control after the listener exists), followed into
// same-file helper functions, with the platforms each call runs on.
import type { Platform, ReuseOption, Span } from '../../analysis/facts';
import type { SyntaxNode } from '../treeSitter';
import { goGuardedPlatforms, type GuardCache } from './goGuards';
import type { GoScope } from './goScope';
import { callArgs, calleeName, calleeOperand, calleeText, unparen } from './goSyntax';
import type { GoValues } from './goValues';

export interface FoundOption {
  option: ReuseOption;
  enabled: boolean;
  span: Span;
  platforms: Platform[];
  /** The setsockopt call. */
  call: SyntaxNode;
}

export interface SockoptScan {
  options: FoundOption[];
  /** Joins a multicast group or enables SO_BROADCAST. */
  multicast: boolean;
  /** Setsockopt calls seen (to mirror their form in fixes). */
  calls: SyntaxNode[];
}

const UNIX: Platform[] = ['linux', 'darwin'];
const WINDOWS: Platform[] = ['win32'];
const MAX_HELPER_DEPTH = 3;

/** Option named by a constant: SO_REUSEADDR, unix.SO_REUSEPORT, soReusePort, SO_EXCLUSIVEADDRUSE. */
export function goOptionName(text: string): ReuseOption | 'broadcast' | 'membership' | null {
  const name = text.replace(/^.*\./, '').replace(/_/g, '').toUpperCase();
  if (name === 'SOREUSEADDR') return 'reuseaddr';
  if (name === 'SOREUSEPORT' || name === 'SOREUSEPORTLB') return 'reuseport';
  if (name === 'SOEXCLUSIVEADDRUSE') return 'exclusiveaddruse';
  if (name === 'SOBROADCAST') return 'broadcast';
  if (name === 'IPADDMEMBERSHIP' || name === 'IPV6JOINGROUP' || name === 'IPV6ADDMEMBERSHIP' || name === 'MCASTJOINGROUP') return 'membership';
  return null;
}

/** Platforms a setsockopt form compiles for: unix.X / windows.X / syscall with int(fd) or Handle(fd). */
function callPlatforms(call: SyntaxNode): Platform[] | null {
  const pkg = calleeOperand(call)?.text ?? '';
  if (pkg === 'unix') return UNIX;
  if (pkg === 'windows') return WINDOWS;
  const fd = callArgs(call)[0];
  const fdText = fd ? unparen(fd).text.replace(/\s+/g, '') : '';
  if (/^(?:syscall|windows)\.Handle\(/.test(fdText)) return WINDOWS;
  if (/^int\(/.test(fdText)) return UNIX;
  return null;
}

export class GoSockopts {
  constructor(private readonly scope: GoScope, private readonly values: GoValues, private readonly guards: GuardCache = new Map()) {}

  /** Resolves an option constant expression, following local constants such as `soReusePort`. */
  private optionOf(node: SyntaxNode): ReuseOption | 'broadcast' | 'membership' | null {
    const n = unparen(node);
    // ^SO_REUSEADDR (and -5) is SO_EXCLUSIVEADDRUSE.
    if (n.type === 'unary_expression' && n.child(0)?.type === '^') {
      const operand = n.childForFieldName('operand');
      return operand && this.optionOf(operand) === 'reuseaddr' ? 'exclusiveaddruse' : null;
    }
    const literal = this.values.evaluate(n);
    if (literal === -5 || literal === 0xfffffffb) return 'exclusiveaddruse';
    const direct = goOptionName(n.text);
    if (direct) return direct;
    if (n.type === 'identifier') {
      const decl = this.scope.declaration(n.text, n);
      if (decl?.value && !decl.multiValue && unparen(decl.value).type !== 'identifier') return this.optionOf(decl.value);
    }
    return null;
  }

  private enabledOf(node: SyntaxNode | undefined): boolean {
    if (!node) return true;
    const n = unparen(node);
    if (n.type === 'true') return true;
    if (n.type === 'false') return false;
    // boolint(false), btoi(true)
    if (n.type === 'call_expression') {
      const args = callArgs(n);
      if (args.length === 1 && args[0]) return this.enabledOf(args[0]);
    }
    const v = this.values.evaluate(n);
    return typeof v === 'number' ? v !== 0 : true;
  }

  /** Scans a function body (and helpers it calls) for socket options. */
  scan(body: SyntaxNode, base: readonly Platform[]): SockoptScan {
    const result: SockoptScan = { options: [], multicast: false, calls: [] };
    this.scanInto(body, [...base], result, 0, new Set());
    return result;
  }

  private scanInto(body: SyntaxNode, base: Platform[], out: SockoptScan, depth: number, visited: Set<number>): void {
    const visit = (node: SyntaxNode): void => {
      if (node.type === 'call_expression') this.visitCall(node, base, out, depth, visited);
      for (const child of node.namedChildren) if (child) visit(child);
    };
    visit(body);
  }

  private visitCall(call: SyntaxNode, base: Platform[], out: SockoptScan, depth: number, visited: Set<number>): void {
    const name = calleeName(call);
    if (/^Setsockopt/i.test(name)) {
      const args = callArgs(call);
      const optNode = args[2];
      const option = optNode ? this.optionOf(optNode) : null;
      if (!option) return;
      let platforms = goGuardedPlatforms(call, base, this.guards);
      const compiled = callPlatforms(call);
      if (compiled) platforms = platforms.filter((p) => compiled.includes(p));
      const enabled = this.enabledOf(args[3]);
      if (option === 'membership') {
        out.multicast = true;
        return;
      }
      if (option === 'broadcast') {
        if (enabled) out.multicast = true;
        return;
      }
      if (option === 'reuseport') platforms = platforms.filter((p) => p !== 'win32');
      out.calls.push(call);
      out.options.push({ option, enabled, span: { start: call.startIndex, end: call.endIndex }, platforms, call });
      return;
    }
    // A helper defined in this file: follow it with the guards of the call site.
    const fn = call.childForFieldName('function');
    if (fn?.type === 'identifier' && depth < MAX_HELPER_DEPTH) {
      const decl = this.scope.functions.get(fn.text);
      const helperBody = decl?.childForFieldName('body');
      if (decl && helperBody && !visited.has(decl.id)) {
        visited.add(decl.id);
        this.scanInto(helperBody, goGuardedPlatforms(call, base, this.guards), out, depth + 1, visited);
        visited.delete(decl.id);
      }
    }
    if (calleeText(call).endsWith('.JoinGroup') || calleeText(call).endsWith('.JoinSourceSpecificGroup')) out.multicast = true;
  }
}
