//go:build !unix

package loader

// oNonblock is zero where opening cannot block on a named pipe.
const oNonblock = 0
