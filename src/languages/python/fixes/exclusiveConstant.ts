// fix-exclusive-constant: SO_EXCLUSIVEADDRUSE is ~SO_REUSEADDR, that is -5.
import type { ConstantFact } from '../../../analysis/facts';
import type { Fix } from '../../../analysis/fixes';
import type { FixContext } from './fixContext';

export function fixExclusiveConstant(ctx: FixContext, constant: ConstantFact): Fix | null {
  const current = ctx.text.slice(constant.valueSpan.start, constant.valueSpan.end);
  if (current.trim() === '-5') return null;
  return { title: 'Use the Winsock value of SO_EXCLUSIVEADDRUSE (-5)', edits: [{ start: constant.valueSpan.start, end: constant.valueSpan.end, newText: '-5' }] };
}
