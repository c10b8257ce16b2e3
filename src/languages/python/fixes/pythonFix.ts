// Turns a language-neutral fix request into Python edits. The file is parsed again so each edit is
// written against its syntax; a request whose target is gone or already fixed yields null, and an edit
// that would leave the file unparseable is dropped.
import type { FileFacts, Span } from '../../../analysis/facts';
import { applyEdits, type Fix, type FixRequest } from '../../../analysis/fixes';
import { OPTION_NAMES, effectiveOptions } from '../../../analysis/socketModel';
import type { SourceDocument } from '../../adapter';
import type { GrammarParser } from '../../treeSitter';
import { analyzeTree } from '../extractFacts';
import { addExclusive } from './addExclusive';
import { addOption } from './addOption';
import { fixExclusiveConstant } from './exclusiveConstant';
import { FixContext } from './fixContext';
import { guardNotWindows } from './guardNotWindows';
import { moveBeforeBind } from './moveBeforeBind';
import { removeOption } from './removeOption';

const same = (a: Span, b: Span): boolean => a.start === b.start && a.end === b.end;

export function pythonFix(parser: GrammarParser, doc: SourceDocument, _facts: FileFacts, request: FixRequest): Fix | null {
  try {
    const fix = parser.withTree(doc.text, (root) => {
      const ctx = new FixContext(doc.text, root, analyzeTree(root, doc.path, doc.text));
      return { fix: fixFor(ctx, request), hadErrors: root.hasError };
    });
    if (!fix.fix || fix.fix.edits.length === 0) return null;
    const edited = applyEdits(doc.text, fix.fix.edits);
    if (edited === doc.text) return null;
    const broken = parser.withTree(edited, (root) => root.hasError);
    return broken && !fix.hadErrors ? null : fix.fix;
  } catch {
    return null;
  }
}

function fixFor(ctx: FixContext, request: FixRequest): Fix | null {
  const facts = ctx.facts;
  switch (request.kind) {
    case 'add-option':
    case 'add-exclusive': {
      const bind = facts.binds.find((b) => same(b.span, request.bind.span));
      const record = bind ? ctx.record(bind.socketId) : undefined;
      const bindNode = bind ? ctx.nodeAt(bind.span) : null;
      if (!bind || !record || !bindNode) return null;
      if (request.kind === 'add-exclusive') {
        return effectiveOptions(facts, bind, 'win32').has('exclusiveaddruse') ? null : addExclusive(ctx, record, bind, bindNode);
      }
      // Already in effect wherever the rule asks for it: nothing to do.
      const wanted = bind.platforms.filter((p) => p !== 'win32' || (record.multicast && record.protocol === 'udp'));
      const done = wanted.every((p) => {
        const on = effectiveOptions(facts, bind, p);
        return on.has(request.option) || (request.option === 'reuseaddr' && on.has('reuseport'));
      });
      return done ? null : addOption(ctx, record, bind, bindNode, request.option);
    }
    case 'move-before-bind': {
      const option = facts.options.find((o) => same(o.span, request.option.span) && o.option === request.option.option && o.timing === 'after');
      const record = option ? ctx.record(option.socketId) : undefined;
      const optionNode = option ? ctx.nodeAt(option.span) : null;
      const bind = facts.binds.find((b) => same(b.span, request.bind.span));
      const bindNode = bind ? ctx.nodeAt(bind.span) : null;
      if (!record || !optionNode || !bindNode) return null;
      return moveBeforeBind(ctx, record, optionNode, bindNode);
    }
    case 'guard-not-windows': {
      const option = facts.options.find((o) => same(o.span, request.option.span) && o.option === request.option.option && o.enabled && o.platforms.includes('win32'));
      const node = option ? ctx.nodeAt(option.span) : null;
      return node ? guardNotWindows(ctx, node) : null;
    }
    case 'remove-option': {
      const option = facts.options.find((o) => same(o.span, request.option.span) && o.option === request.option.option && o.enabled);
      const node = option ? ctx.nodeAt(option.span) : null;
      return node && option ? removeOption(ctx, node, OPTION_NAMES[option.option]) : null;
    }
    case 'fix-exclusive-constant': {
      const constant = facts.constants.find((c) => same(c.span, request.constant.span));
      return constant ? fixExclusiveConstant(ctx, constant) : null;
    }
  }
}
