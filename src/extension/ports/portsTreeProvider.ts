// The Ports view: maps the tree model's nodes (src/ports/view/portsTreeModel.ts, where every string
// is decided) to TreeItems, and colours rows that carry a warning through a FileDecorationProvider
// on a private URI scheme (label colour and a "!" badge, as the Explorer shows problems).
import {
  EventEmitter,
  FileDecoration,
  MarkdownString,
  Range,
  ThemeColor,
  ThemeIcon,
  TreeItem,
  TreeItemCollapsibleState,
  Uri,
  type CancellationToken,
  type Event,
  type FileDecorationProvider,
  type ProviderResult,
  type TreeDataProvider,
} from 'vscode';
import type { NodeColor, ViewNode } from '../../ports/view/portsTreeModel';
import type { PortsModel } from './portsModel';

export const PORTS_VIEW_ID = 'bindwatch.ports';
const DECORATION_SCHEME = 'bindwatch-port';

const COLORS: Record<NodeColor, string> = {
  error: 'problemsErrorIcon.foreground',
  warning: 'problemsWarningIcon.foreground',
  info: 'problemsInfoIcon.foreground',
  workspace: 'charts.green',
};

const DECORATION_COLORS: Record<'error' | 'warning', string> = {
  error: 'list.errorForeground',
  warning: 'list.warningForeground',
};

const COLLAPSIBLE: Record<ViewNode['collapsible'], TreeItemCollapsibleState> = {
  none: TreeItemCollapsibleState.None,
  collapsed: TreeItemCollapsibleState.Collapsed,
  expanded: TreeItemCollapsibleState.Expanded,
};

function markdown(text: string): MarkdownString {
  const result = new MarkdownString(text, true);
  result.isTrusted = false;
  return result;
}

function decorationUri(node: ViewNode): Uri {
  return Uri.from({ scheme: DECORATION_SCHEME, path: `/${encodeURIComponent(node.id)}` });
}

export class PortsTreeProvider implements TreeDataProvider<ViewNode>, FileDecorationProvider {
  private readonly changed = new EventEmitter<ViewNode | undefined | void>();
  private readonly decorationsChanged = new EventEmitter<Uri[] | undefined>();
  private parents = new Map<string, ViewNode | undefined>();
  private decorations = new Map<string, NonNullable<ViewNode['decoration']>>();
  readonly onDidChangeTreeData: Event<ViewNode | undefined | void> = this.changed.event;
  readonly onDidChangeFileDecorations: Event<Uri[] | undefined> = this.decorationsChanged.event;

  constructor(private readonly model: PortsModel) {
    this.index();
  }

  /** The model has a new tree: re-index parents and decorations, then redraw. */
  update(): void {
    this.index();
    this.changed.fire();
    this.decorationsChanged.fire(undefined);
  }

  private index(): void {
    const parents = new Map<string, ViewNode | undefined>();
    const decorations = new Map<string, NonNullable<ViewNode['decoration']>>();
    const walk = (nodes: readonly ViewNode[], parent: ViewNode | undefined): void => {
      for (const node of nodes) {
        parents.set(node.id, parent);
        if (node.decoration !== undefined) decorations.set(decorationUri(node).toString(), node.decoration);
        walk(node.children, node);
      }
    };
    walk(this.model.tree.roots, undefined);
    this.parents = parents;
    this.decorations = decorations;
  }

  getChildren(node?: ViewNode): ViewNode[] {
    return node === undefined ? this.model.tree.roots : node.children;
  }

  getParent(node: ViewNode): ViewNode | undefined {
    return this.parents.get(node.id);
  }

  getTreeItem(node: ViewNode): TreeItem {
    const item = new TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    // Lazy tooltips are built on hover, in resolveTreeItem.
    if (typeof node.tooltip === 'string') item.tooltip = markdown(node.tooltip);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: node.accessibilityLabel };
    if (node.site !== undefined) {
      // The file's own icon, and its problem decorations, for a line of workspace code.
      const uri = Uri.file(node.site.path);
      item.resourceUri = uri;
      item.iconPath = ThemeIcon.File;
      const at = new Range(node.site.line, node.site.character, node.site.line, node.site.character);
      item.command = { title: 'Open Line', command: 'vscode.open', arguments: [uri, { selection: at, preview: true }] };
    } else {
      item.iconPath = new ThemeIcon(node.icon.id, node.icon.color !== undefined ? new ThemeColor(COLORS[node.icon.color]) : undefined);
      if (node.decoration !== undefined) item.resourceUri = decorationUri(node);
    }
    return item;
  }

  resolveTreeItem(item: TreeItem, node: ViewNode): TreeItem {
    if (typeof node.tooltip === 'function') item.tooltip = markdown(node.tooltip());
    return item;
  }

  provideFileDecoration(uri: Uri, _token: CancellationToken): ProviderResult<FileDecoration> {
    if (uri.scheme !== DECORATION_SCHEME) return undefined;
    const decoration = this.decorations.get(uri.toString());
    if (decoration === undefined) return undefined;
    return new FileDecoration(decoration.badge, decoration.tooltip, new ThemeColor(DECORATION_COLORS[decoration.severity]));
  }

  dispose(): void {
    this.changed.dispose();
    this.decorationsChanged.dispose();
  }
}
