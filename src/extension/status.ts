// The language status item ("{}" in the status bar next to the language mode): what the server is
// doing (indexing, ready) and how many files and findings it has.
import { languages, LanguageStatusSeverity, type DocumentSelector, type Disposable, type LanguageStatusItem } from 'vscode';
import type { StatusParams } from '../server/protocol';
import { CommandId } from './commands';
import { statusDetail, statusText } from './statusText';

export class StatusItem implements Disposable {
  private readonly item: LanguageStatusItem;

  constructor(selector: DocumentSelector) {
    this.item = languages.createLanguageStatusItem('bindwatch.status', selector);
    this.item.name = 'Bindwatch';
    this.item.text = 'Bindwatch: starting';
    this.item.busy = true;
    this.item.command = { title: 'Open Log', command: CommandId.OpenLog };
  }

  update(status: StatusParams): void {
    this.item.busy = status.state === 'starting' || status.state === 'indexing';
    this.item.severity = LanguageStatusSeverity.Information;
    this.item.text = statusText(status);
    this.item.detail = statusDetail(status);
    this.item.command = status.state === 'ready'
      ? { title: 'Analyze Workspace', command: CommandId.AnalyzeWorkspace }
      : { title: 'Open Log', command: CommandId.OpenLog };
  }

  failed(message: string): void {
    this.item.busy = false;
    this.item.severity = LanguageStatusSeverity.Error;
    this.item.text = 'Bindwatch: stopped';
    this.item.detail = message;
    this.item.command = { title: 'Show Logs', command: CommandId.OpenLog };
  }

  dispose(): void {
    this.item.dispose();
  }
}
