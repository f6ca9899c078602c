//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package delivery

import (
	"net"
	"syscall"
)

// idleUsable reports whether a kept-alive connection can carry another
// request: the server has neither closed it nor sent anything while it was
// idle. It peeks at the socket without blocking.
func idleUsable(nc net.Conn) bool {
	sc, ok := nc.(syscall.Conn)
	if !ok {
		return true
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	usable := false
	var b [1]byte
	err = rc.Read(func(fd uintptr) bool {
		n, _, rerr := syscall.Recvfrom(int(fd), b[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
		usable = n <= 0 && (rerr == syscall.EAGAIN || rerr == syscall.EWOULDBLOCK)
		return true
	})
	return err == nil && usable
}
