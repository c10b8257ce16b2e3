// Small builders for hand-made facts, so rule tests read like the code they stand for.
import type { FileAnalysis } from '../../../src/analysis/fileAnalysis';
import { ALL_PLATFORMS, emptyFacts, type BindFact, type FileFacts, type OptionFact, type SocketFact } from '../../../src/analysis/facts';
import { LineIndex } from '../../../src/analysis/lineIndex';

export function socket(id: string, over: Partial<SocketFact> = {}): SocketFact {
  return { id, protocol: 'tcp', role: 'server', api: 'socket.socket', span: { start: 0, end: 1 }, multicast: false, ...over };
}

export function option(socketId: string, over: Partial<OptionFact> & Pick<OptionFact, 'option'>): OptionFact {
  return { socketId, enabled: true, span: { start: 10, end: 20 }, platforms: [...ALL_PLATFORMS], timing: 'before', ...over };
}

export function bind(socketId: string, over: Partial<BindFact> = {}): BindFact {
  return {
    socketId, span: { start: 30, end: 40 }, port: 8080, host: '127.0.0.1', hostKind: 'loopback', explicitWildcard: false,
    platforms: [...ALL_PLATFORMS], implicit: {}, bindsAtCreation: false, ...over,
  };
}

export function file(path: string, facts: Partial<FileFacts>, text = 'x\n'.repeat(50)): FileAnalysis {
  return { path, languageId: 'test', facts: { ...emptyFacts(), ...facts }, lines: new LineIndex(text), suppressions: new Map() };
}
