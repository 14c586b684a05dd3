package tty

import (
	"syscall"
	"unsafe"
)

const ioctlGetTermios = 0x5401 // TCGETS

func isTerminal(fd uintptr) bool {
	var t syscall.Termios
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, fd, ioctlGetTermios, uintptr(unsafe.Pointer(&t)))
	return errno == 0
}
