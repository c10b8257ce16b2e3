// Rule metadata: the ids are fixed (SARIF ruleId, diagnostic code, docs/rules/<id>.md).
import type { RuleId, Severity } from '../findings';

export interface RuleInfo {
  id: RuleId;
  title: string;
  defaultSeverity: Severity;
  /** One sentence for `bindwatch rules` and SARIF shortDescription. */
  summary: string;
}

export const REPOSITORY_URL = 'https://github.com/bindwatch/bindwatch';

export function docsUrl(id: RuleId): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${id}.md`;
}

export const RULES: readonly RuleInfo[] = [
  {
    id: 'reuse-missing',
    title: 'Server socket without address reuse',
    defaultSeverity: 'warning',
    summary: 'A server socket or multicast receiver whose runtime does not set SO_REUSEADDR, so a restart fails with EADDRINUSE while old connections sit in TIME_WAIT, or a second receiver cannot join.',
  },
  {
    id: 'reuse-one-sided',
    title: 'Only one side of a shared port opts into reuse',
    defaultSeverity: 'warning',
    summary: 'Sockets bound to the same port disagree on SO_REUSEADDR/SO_REUSEPORT; both sides must opt in, so the later bind fails.',
  },
  {
    id: 'reuse-after-bind',
    title: 'Reuse option set after bind',
    defaultSeverity: 'error',
    summary: 'SO_REUSEADDR/SO_REUSEPORT/SO_EXCLUSIVEADDRUSE set after the socket is bound has no effect.',
  },
  {
    id: 'windows-hijack',
    title: 'Port open to hijacking on Windows',
    defaultSeverity: 'warning',
    summary: 'SO_REUSEADDR in effect on Windows without SO_EXCLUSIVEADDRUSE lets another process bind the same port and take its traffic.',
  },
  {
    id: 'udp-reuse-steal',
    title: 'Reuse on a unicast UDP socket',
    defaultSeverity: 'warning',
    summary: 'Address reuse on a UDP socket that joins no multicast group lets another local process bind the same port and take the datagrams.',
  },
  {
    id: 'reuse-exclusive-conflict',
    title: 'SO_REUSEADDR together with SO_EXCLUSIVEADDRUSE',
    defaultSeverity: 'error',
    summary: 'SO_REUSEADDR and SO_EXCLUSIVEADDRUSE on one socket contradict each other; Windows rejects the combination.',
  },
  {
    id: 'exclusive-wrong-constant',
    title: 'Wrong SO_EXCLUSIVEADDRUSE value',
    defaultSeverity: 'error',
    summary: 'A hand-written SO_EXCLUSIVEADDRUSE whose value is not ~SO_REUSEADDR (-5); 0x0004 is SO_REUSEADDR itself.',
  },
  {
    id: 'port-conflict',
    title: 'Several binds of one fixed port',
    defaultSeverity: 'hint',
    summary: 'Several sockets bind the same fixed port and none opts into reuse, so only one of them can run at a time.',
  },
  {
    id: 'reuseport-semantics',
    title: 'SO_REUSEPORT differs by OS',
    defaultSeverity: 'hint',
    summary: 'SO_REUSEPORT load-balances on Linux, lets the last binder take the port on macOS/BSD, and does not exist on Windows.',
  },
  {
    id: 'bind-all-interfaces',
    title: 'Bound to all network interfaces',
    defaultSeverity: 'hint',
    summary: 'Binding 0.0.0.0, ::, "" or INADDR_ANY exposes the port to other machines (CWE-200; bandit B104, gosec G102, CodeQL py/bind-socket-all-network-interfaces).',
  },
];

const BY_ID = new Map(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: RuleId): RuleInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`unknown rule ${id}`);
  return info;
}

export function isRuleId(value: string): value is RuleId {
  return BY_ID.has(value as RuleId);
}
