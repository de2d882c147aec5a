package leave_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

type rolloverStateResp struct {
	Year         int     `json:"year"`
	Members      int     `json:"members"`
	Closed       int     `json:"closed"`
	Open         int     `json:"open"`
	Carried      int     `json:"carried"`
	Expired      int     `json:"expired"`
	LastClosedAt *string `json:"last_closed_at"`
	Closable     bool    `json:"closable"`
}

type rolloverRunResp struct {
	Year, Members, Skipped, Carried, Expired, Accrued int
	DurationMS                                        *int `json:"duration_ms"`
}

func (h *harness) rolloverState(t *testing.T, who *auth.Identity, year string) (rolloverStateResp, string) {
	t.Helper()
	w := h.do(t, who, "GET", "/api/v1/leave/rollovers/"+year, nil)
	if w.Code != http.StatusOK {
		t.Fatalf("GET rollover %s as %s: %d %s", year, who.UserID, w.Code, w.Body)
	}
	return decode[rolloverStateResp](t, w), w.Body.String()
}

// TestRolloverState reads the state of 2025's closing before and after the
// rollover, for a current and a future year, and refuses everybody but
// admins and finance.
func TestRolloverState(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// 2025: m1 has 3 days left, h1 2 of which 1 is carried, m2 none.
	for _, a := range []struct {
		member string
		days   int
	}{{"m1", 3}, {"h1", 2}} {
		if w := h.do(t, &cw1, "POST", "/api/v1/leave/members/"+a.member+"/adjustments", map[string]any{"year": 2025, "days": a.days, "reason": "补录 2025 年"}); w.Code != http.StatusCreated {
			t.Fatalf("adjust %s: %d %s", a.member, w.Code, w.Body)
		}
	}
	if w := h.do(t, &cw1, "PUT", "/api/v1/leave/members/h1/carry-over/2025", map[string]any{"days": 1, "reason": "专项任务"}); w.Code != http.StatusOK {
		t.Fatalf("carry-over: %d %s", w.Code, w.Body)
	}

	before, raw := h.rolloverState(t, &admin, "2025")
	if want := (rolloverStateResp{Year: 2025, Members: 3, Closed: 0, Open: 3, Closable: true}); before != want || !strings.Contains(raw, `"last_closed_at":null`) {
		t.Fatalf("before: %s", raw)
	}

	w := h.do(t, &admin, "POST", "/api/v1/leave/rollovers/2025", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("rollover: %d %s", w.Code, w.Body)
	}
	run := decode[rolloverRunResp](t, w)
	if run.Year != 2025 || run.Members != 3 || run.Skipped != 0 || run.Carried != 1 || run.Expired != 4 || run.DurationMS == nil {
		t.Fatalf("rollover run: %s", w.Body)
	}

	after, raw := h.rolloverState(t, &finance, "2025")
	if after.Year != 2025 || after.Members != 3 || after.Closed != 3 || after.Open != 0 || !after.Closable ||
		after.Carried != run.Carried || after.Expired != run.Expired || after.LastClosedAt == nil {
		t.Fatalf("after: %s (run %+v)", raw, run)
	}
	at, err := time.Parse(time.RFC3339, *after.LastClosedAt)
	if err != nil || !strings.HasSuffix(*after.LastClosedAt, "Z") || !at.Equal(h.env.Clock.Now()) {
		t.Fatalf("last_closed_at %q, want %s in UTC (%v)", *after.LastClosedAt, h.env.Clock.Now().UTC(), err)
	}

	// A second run closes nobody and the state stays; a member projected
	// later is open.
	w = h.do(t, &admin, "POST", "/api/v1/leave/rollovers/2025", nil)
	if again := decode[rolloverRunResp](t, w); w.Code != http.StatusOK || again.Members != 0 || again.Skipped != 3 {
		t.Fatalf("second run: %d %s", w.Code, w.Body)
	}
	h.member(t, "n3", "u2", "police", "2020-01-01", false)
	if st, raw := h.rolloverState(t, &admin, "2025"); st.Members != 4 || st.Closed != 3 || st.Open != 1 || st.Carried != run.Carried || st.Expired != run.Expired {
		t.Fatalf("after a new member: %s", raw)
	}

	// The current and a future year cannot be closed yet; nothing is closed.
	for _, y := range []string{"2026", "2027"} {
		if st, raw := h.rolloverState(t, &finance, y); st.Closable || st.Closed != 0 || st.Open != 4 || st.LastClosedAt != nil {
			t.Fatalf("year %s: %s", y, raw)
		}
	}
	expectProblem(t, h.do(t, &admin, "POST", "/api/v1/leave/rollovers/2026", nil), http.StatusUnprocessableEntity, "validation_failed")

	// A bad year is the same problem for the GET as for the POST.
	for _, y := range []string{"20x5", "1899", "10000"} {
		post := expectProblem(t, h.do(t, &admin, "POST", "/api/v1/leave/rollovers/"+y, nil), http.StatusNotFound, "not_found")
		get := expectProblem(t, h.do(t, &admin, "GET", "/api/v1/leave/rollovers/"+y, nil), http.StatusNotFound, "not_found")
		if post.Code != get.Code {
			t.Fatalf("year %s: POST %s, GET %s", y, post.Code, get.Code)
		}
	}

	// Only admins and finance.
	for _, who := range []auth.Identity{officer1, head1, approver1, cw1, auditor} {
		expectProblem(t, h.do(t, &who, "GET", "/api/v1/leave/rollovers/2025", nil), http.StatusForbidden, "forbidden")
	}
}
