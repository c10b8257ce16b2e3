// Public API of the live ports layer (no `vscode` here): the tree view and the CLI use only this.
export type {
  AddressFamily,
  AddressScope,
  CollectedProcess,
  CollectedSocket,
  Collection,
  PortsPlatform,
  ProcessLineage,
  SocketProtocol,
  SocketState,
} from './collectedSockets';
export { addressScope, isListeningSocket } from './collectedSockets';
export type {
  BuildSnapshotOptions,
  PortBinding,
  PortGroup,
  PortOwner,
  PortProcess,
  PortSocket,
  PortsScanError,
  PortsSnapshot,
} from './snapshot';
export { buildSnapshot, findProcess, listeningOnly, warningsForPort } from './snapshot';
export type { PortWarning, PortWarningKind, PortWarningSeverity } from './portWarnings';
export { derivePortWarnings } from './portWarnings';
export type {
  AttributionEvidence,
  AttributionReason,
  TerminalProcessRef,
  WorkspaceAttribution,
  WorkspaceContext,
} from './attribution';
export { TerminalDescendantMemory, attributeToWorkspace, isPathInside } from './attribution';
export type { CollectFunction, PortsCollectorOptions } from './collector';
export { PortsCollector } from './collector';
export type { ProcessIdentity, StopOptions, StopOutcome, StopRequest, StopResult } from './processStop';
export { readProcessIdentity, readProcessStartToken, stopProcess } from './processStop';
