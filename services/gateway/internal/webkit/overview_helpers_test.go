package webkit_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
)

// A page that bounds its calls by its own deadline (the overview's 5 s)
// keeps it through the kit's signing: the call, signed as any other, ends
// at the deadline, long before the Upstreams' call timeout (5 s here),
// and the page shows the 503 page, not a cancelled request.
func TestWithinClientsEndAtThePagesDeadline(t *testing.T) {
	t.Parallel()
	ended := make(chan struct{}, 1)
	k, _ := kitFor(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer u-1|en|leave" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		select {
		case <-r.Context().Done(): // the gateway gave up the call
			ended <- struct{}{}
		case <-time.After(10 * time.Second):
		}
	})
	c, w := pageRequest(http.MethodGet, "/overview")
	ctx, cancel := context.WithTimeout(c.Request.Context(), 300*time.Millisecond)
	defer cancel()
	api, err := k.LeaveWithin(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = api.LeaveOverviewReportWithResponse(ctx, &leaveapi.LeaveOverviewReportParams{})
	if took := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || took > 2*time.Second {
		t.Fatalf("the call ended after %v with %v, want the page's deadline (300 ms)", took, err)
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the service never saw the call end")
	}
	k.ServiceFailed(c, err)
	if w.Code != http.StatusServiceUnavailable {
		t.Errorf("a call past the page's deadline shows %d, want the 503 page", w.Code)
	}
}
