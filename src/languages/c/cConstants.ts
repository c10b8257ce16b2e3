// Hand-written SO_EXCLUSIVEADDRUSE definitions (#define, const, constexpr, enum) with their computed
// value: ((int)(~SO_REUSEADDR)) is -5; 0x0004 is SO_REUSEADDR itself.
import type { ConstantFact } from '../../analysis/facts';
import { evaluateConstant } from './constantExpression';
import type { CProgram } from './cProgram';
import { stripComment } from './cProgram';

const NAME = /^SO_EXCLUSIVEADDRUSE$/;

function toInt32(value: number | null): number | null {
  return value === null ? null : value | 0;
}

export function exclusiveConstants(program: CProgram): ConstantFact[] {
  const facts: ConstantFact[] = [];
  for (const [name, defs] of program.defines) {
    if (!NAME.test(name)) continue;
    for (const def of defs) {
      const arg = def.childForFieldName('value');
      if (!arg) continue;
      const raw = arg.text;
      const text = stripComment(raw);
      const lead = raw.length - raw.trimStart().length;
      const start = raw.trimStart().startsWith(text) ? arg.startIndex + lead : arg.startIndex;
      const valueSpan = { start, end: start + (raw.trimStart().startsWith(text) ? text.length : raw.trimEnd().length) };
      facts.push({
        name,
        value: toInt32(evaluateConstant(text, (id) => (id === name ? null : program.namedConstant(id, 1)))),
        span: { start: def.startIndex, end: valueSpan.end },
        valueSpan,
      });
    }
  }
  for (const [name, values] of program.globals) {
    if (!NAME.test(name)) continue;
    for (const value of values) {
      facts.push({
        name,
        value: toInt32(program.number(value, { fn: null, at: value.startIndex, env: null, depth: 0 })),
        span: { start: value.parent?.startIndex ?? value.startIndex, end: value.endIndex },
        valueSpan: { start: value.startIndex, end: value.endIndex },
      });
    }
  }
  for (const node of program.enumeratorNodes) {
    const name = node.childForFieldName('name')?.text;
    const value = node.childForFieldName('value');
    if (!name || !NAME.test(name) || !value) continue;
    facts.push({
      name,
      value: toInt32(program.enumerators.get(name) ?? null),
      span: { start: node.startIndex, end: node.endIndex },
      valueSpan: { start: value.startIndex, end: value.endIndex },
    });
  }
  return facts;
}
