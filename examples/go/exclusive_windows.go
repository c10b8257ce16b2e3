//go:build windows

// Package listener binds exclusively on Windows so no other process can take the port.
package listener

import (
	"context"
	"net"
	"syscall"

	"golang.org/x/sys/windows"
)

// SO_EXCLUSIVEADDRUSE is missing from syscall, so it is written out here.
const SO_EXCLUSIVEADDRUSE = 0x0004

func Listen(ctx context.Context) (net.Listener, error) {
	lc := net.ListenConfig{Control: func(network, address string, c syscall.RawConn) error {
		var opErr error
		err := c.Control(func(fd uintptr) {
			opErr = windows.SetsockoptInt(windows.Handle(fd), windows.SOL_SOCKET, SO_EXCLUSIVEADDRUSE, 1)
		})
		if err != nil {
			return err
		}
		return opErr
	}}
	return lc.Listen(ctx, "tcp", "127.0.0.1:8443")
}
