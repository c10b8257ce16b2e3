// "EADDRINUSE ...:3000", "[Errno 98] Address already in use", "[WinError 10048]", Go's "bind: address
// already in use", Java's BindException: links in the terminal that reveal who holds the port.
import { commands, TerminalLink, type TerminalLinkContext, type TerminalLinkProvider } from 'vscode';
import type { AddressInUseLink } from '../../ports/view/terminalLinkPatterns';
import { addressInUseTooltip, findAddressInUseLinks } from '../../ports/view/terminalLinkPatterns';
import { PortsCommandId, type RevealPortArgs } from './portsCommands';

class AddressInUseTerminalLink extends TerminalLink {
  constructor(readonly found: AddressInUseLink) {
    super(found.startIndex, found.length, addressInUseTooltip(found));
  }
}

export class AddressInUseLinkProvider implements TerminalLinkProvider<AddressInUseTerminalLink> {
  constructor(private readonly enabled: () => boolean) {}

  provideTerminalLinks(context: TerminalLinkContext): AddressInUseTerminalLink[] {
    if (!this.enabled()) return [];
    return findAddressInUseLinks(context.line).map((found) => new AddressInUseTerminalLink(found));
  }

  async handleTerminalLink(link: AddressInUseTerminalLink): Promise<void> {
    const args: RevealPortArgs = {};
    if (link.found.port !== undefined) args.port = link.found.port;
    if (link.found.protocol !== undefined) args.protocol = link.found.protocol;
    await commands.executeCommand(PortsCommandId.Reveal, args);
  }
}
