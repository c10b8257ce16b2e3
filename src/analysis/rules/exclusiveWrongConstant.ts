// exclusive-wrong-constant: SO_EXCLUSIVEADDRUSE is ~SO_REUSEADDR (-5); hand-written values drift.
import type { FileRule, RawFinding } from './ruleTypes';

const CORRECT = new Set([-5, 0xfffffffb]);

export const exclusiveWrongConstant: FileRule = {
  id: 'exclusive-wrong-constant',
  check(file) {
    const findings: RawFinding[] = [];
    for (const constant of file.facts.constants) {
      // SO_EXCLUSIVEADDRUSE, soExclusiveAddrUse, SoExclusiveAddrUse: the same constant spelled per language.
      const normalized = constant.name.replace(/^.*[.:]/, '').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
      if (!normalized.endsWith('exclusiveaddruse') || constant.value === null || CORRECT.has(constant.value)) continue;
      const shown = constant.value >= 0 ? `0x${constant.value.toString(16)}` : String(constant.value);
      const meaning = constant.value === 4
        ? 'which is SO_REUSEADDR itself: the code turns on port sharing (and hijacking on Windows) where it meant to forbid it'
        : 'which Winsock does not know as SO_EXCLUSIVEADDRUSE, so setsockopt fails or sets another option';
      findings.push({
        ruleId: 'exclusive-wrong-constant',
        file,
        span: constant.span,
        message: `${constant.name} is defined as ${shown}, ${meaning}. The Winsock value is ((int)(~SO_REUSEADDR)), that is -5.`,
        platforms: ['win32'],
        fix: { kind: 'fix-exclusive-constant', constant },
      });
    }
    return findings;
  },
};
