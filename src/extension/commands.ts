// Command ids in one place; the manifest's `contributes.commands` lists the same ids.
export const enum CommandId {
  /** {@link analyzeWorkspace} in main.ts */
  AnalyzeWorkspace = 'bindwatch.analyzeWorkspace',
  /** Opens a rule's documentation; takes an optional rule id. */
  ShowRuleDocumentation = 'bindwatch.showRuleDocumentation',
  RestartServer = 'bindwatch.restartServer',
  OpenLog = 'bindwatch.openLog',
}
