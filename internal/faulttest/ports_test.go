package faulttest

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestStartMovesOffATakenPort: a port picked for a service and taken by
// someone else before anxin binds it (two `make test` runs side by side
// did this: "bind: address already in use", the fault suite failed in
// both) makes start try again on new addresses instead of failing.
func TestStartMovesOffATakenPort(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	taken := strings.TrimPrefix(h.url("injury"), "http://")
	var lc net.ListenConfig
	l, err := lc.Listen(context.Background(), "tcp", taken)
	if err != nil {
		t.Fatalf("take %s: %v", taken, err)
	}
	defer l.Close()
	h.start()
	if got := strings.TrimPrefix(h.url("injury"), "http://"); got == taken {
		t.Fatalf("injury still at the taken %s", taken)
	}
	resp, err := h.client.Get(h.url("injury") + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("injury /readyz at its new address = %d", resp.StatusCode)
	}
}
