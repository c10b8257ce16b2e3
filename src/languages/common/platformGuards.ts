// Which platforms a condition selects. Works on condition text, so every language shares it:
// os.name == 'nt', sys.platform.startswith('win'), process.platform === 'win32', runtime.GOOS == "windows",
// defined(_WIN32), cfg(windows), OperatingSystem.IsWindows(), Gem.win_platform?, PHP_OS_FAMILY === 'Windows',
// hasattr(socket, 'SO_REUSEPORT'), #ifdef SO_EXCLUSIVEADDRUSE ...
import { ALL_PLATFORMS, type Platform } from '../../analysis/facts';

export interface GuardSplit {
  /** Platforms on which the condition is true. */
  whenTrue: Platform[];
  /** Platforms on which it is false. */
  whenFalse: Platform[];
}

const WINDOWS = /(_WIN32|_WIN64|\bWIN32\b|\bWINDOWS\b|_WINDOWS\b|Q_OS_WIN\b|Win32NT|__MINGW32__|__CYGWIN__|_MSC_VER|\bwindows\b|\bWindows\b|IsWindows|OSPlatform\.Windows|win_platform|['"]nt['"]|['"]win32['"]|['"]win['"]|['"]WIN['"]|['"]cygwin['"]|\bSO_EXCLUSIVEADDRUSE\b|mswin|mingw)/;
const LINUX = /(__linux__|\blinux\b|\bLinux\b|(?:\b|_)LINUX\b|IsLinux|OSPlatform\.Linux|['"]linux['"])/;
const DARWIN = /(__APPLE__|__MACH__|\bdarwin\b|\bDarwin\b|\bmacos\b|_(?:DARWIN|MACOS|OSX)\b|Q_OS_MAC\b|IsMacOS|OSPlatform\.OSX|['"]darwin['"]|TARGET_OS_MAC|FreeBSD|__FreeBSD__|\bbsd\b)/;
const UNIX = /(\bunix\b|(?:\b|_)UNIX\b|__unix__|\bposix\b|['"]posix['"]|\bSO_REUSEPORT\b|HAVE_(?:SO_)?REUSEPORT\b|IsUnix)/;

/**
 * Splits platforms by a condition's text. Returns null when the condition is not about the platform,
 * so callers treat both branches as running everywhere.
 */
export function splitByCondition(condition: string, negated = false): GuardSplit | null {
  const text = condition.trim();
  const disjunction = splitDisjunction(text, negated);
  if (disjunction) return disjunction;
  // Only simple platform tests are understood; "a && b" mixing other things keeps its platform meaning
  // for the true branch but not for the false one.
  const compound = /&&|\|\||\band\b|\bor\b/.test(text);
  let selected: Platform[] | null = null;
  if (WINDOWS.test(text)) selected = ['win32'];
  else if (LINUX.test(text) && DARWIN.test(text)) selected = ['linux', 'darwin'];
  else if (LINUX.test(text)) selected = ['linux'];
  else if (DARWIN.test(text)) selected = ['darwin'];
  else if (UNIX.test(text)) selected = ['linux', 'darwin'];
  if (!selected) return null;
  const inverted = isNegated(text) !== negated;
  const others = ALL_PLATFORMS.filter((p) => !selected.includes(p));
  if (compound) {
    return inverted ? { whenTrue: others, whenFalse: [...ALL_PLATFORMS] } : { whenTrue: selected, whenFalse: [...ALL_PLATFORMS] };
  }
  return inverted ? { whenTrue: others, whenFalse: selected } : { whenTrue: selected, whenFalse: others };
}

/**
 * `defined(_WIN32) || defined(_WIN64)`, `defined(__linux__) || defined(__APPLE__)`: a plain chain of
 * platform tests is true where any part is, and false only where every part is.
 */
function splitDisjunction(text: string, negated: boolean): GuardSplit | null {
  // Grouping parentheses or mixed operators need a real expression parser: leave them to the caller.
  const flat = text.replace(/defined\s*\(\s*\w+\s*\)/g, 'D');
  if (!text.includes('||') || /&&|\band\b|\bor\b|(^|[^\w.\s]|\s)\(/.test(flat)) return null;
  const parts = text.split('||').map((part) => splitByCondition(part));
  if (parts.length < 2 || parts.some((p) => p === null)) return null;
  const splits = parts as GuardSplit[];
  const whenTrue = ALL_PLATFORMS.filter((p) => splits.some((s) => s.whenTrue.includes(p)));
  const whenFalse = ALL_PLATFORMS.filter((p) => splits.every((s) => s.whenFalse.includes(p)));
  return negated ? { whenTrue: whenFalse, whenFalse: whenTrue } : { whenTrue, whenFalse };
}

function isNegated(text: string): boolean {
  return /!=|!==|^\s*!|^\s*not\b|\bnot\s|\bunless\b|^\s*!\s*defined|\bifndef\b|cfg\(\s*not\s*\(/.test(text);
}

export function intersect(a: readonly Platform[], b: readonly Platform[]): Platform[] {
  return a.filter((p) => b.includes(p));
}

/** Platforms implied by a file name: Go-style `_windows.go`, `_linux.c`, `_darwin.rs`, `_unix.go`. */
export function platformsFromFileName(path: string): Platform[] {
  const base = path.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '').toLowerCase().replace(/_test$/, '');
  if (/_windows$|_win32$|_win$/.test(base)) return ['win32'];
  if (/_linux$/.test(base)) return ['linux'];
  if (/_darwin$|_macos$|_bsd$|_freebsd$|_openbsd$|_netbsd$/.test(base)) return ['darwin'];
  if (/_unix$|_posix$/.test(base)) return ['linux', 'darwin'];
  return [...ALL_PLATFORMS];
}
