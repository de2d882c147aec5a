// Package freeport picks loopback ports for tests that start a process (or
// a server they do not hand a listener) on a port of their choosing.
package freeport

import (
	"context"
	"math/rand/v2"
	"net"
	"strconv"
	"testing"
)

// Loopback is a loopback port nothing listened on a moment ago, picked
// below the kernel's ephemeral range (32768 and up): there the local end of
// any outgoing connection on the machine (another test run's too) could
// take it before the code under test binds it. Another process can still
// take it in between; a caller that starts a process retries on new ports
// when the bind fails.
func Loopback(tb testing.TB) int {
	tb.Helper()
	var lc net.ListenConfig
	for range 200 {
		port := 20000 + rand.IntN(12000) //nolint:gosec // a test port to try, not a secret
		l, err := lc.Listen(context.Background(), "tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			continue
		}
		_ = l.Close()
		return port
	}
	tb.Fatal("no free loopback port in 20000-31999")
	return 0
}
