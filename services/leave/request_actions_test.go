package leave_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
)

type actionsResp struct {
	ID      string   `json:"id"`
	Status  string   `json:"status"`
	Version int64    `json:"version"`
	Actions []string `json:"actions"`
}

// The request tells each caller exactly the steps the service accepts from
// them at its stage: the approver sees none while it is with the unit head,
// approve and reject once it reaches them; what is not offered is refused.
func TestRequestActionsFollowTheStage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// 7 working days: two levels.
	w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-11-30", "to": "2026-12-08"})
	if w.Code != http.StatusCreated {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	r := decode[actionsResp](t, w)
	path := "/api/v1/leave/requests/" + r.ID
	actionsOf := func(id *auth.Identity) actionsResp {
		t.Helper()
		w := h.do(t, id, "GET", path, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("GET as %s: %d %s", id.UserID, w.Code, w.Body)
		}
		return decode[actionsResp](t, w)
	}
	expect := func(stage string, id *auth.Identity, want ...string) {
		t.Helper()
		if want == nil {
			want = []string{}
		}
		if got := actionsOf(id).Actions; !slices.Equal(got, want) {
			t.Fatalf("%s, %s: actions %q, want %q", stage, id.UserID, got, want)
		}
	}
	expect("with the unit head", &officer1, "cancel")
	expect("with the unit head", &head1, "approve", "reject")
	expect("with the unit head", &approver1)
	expect("with the unit head", &cw1)
	// Not offered, refused.
	expectProblem(t, h.do(t, &approver1, "POST", path+"/approve", nil, "If-Match", etag(r.Version)), http.StatusForbidden, "forbidden")

	if w := h.do(t, &head1, "POST", path+"/approve", nil, "If-Match", etag(r.Version)); w.Code != http.StatusOK {
		t.Fatalf("first level: %d %s", w.Code, w.Body)
	}
	expect("with the approver", &head1)
	expect("with the approver", &approver1, "approve", "reject")
	expect("with the approver", &officer1, "cancel")
	// Offered, accepted.
	cur := actionsOf(&approver1)
	w = h.do(t, &approver1, "POST", path+"/approve", nil, "If-Match", etag(cur.Version))
	if w.Code != http.StatusOK || decode[actionsResp](t, w).Status != "approved" {
		t.Fatalf("second level: %d %s", w.Code, w.Body)
	}
	expect("approved", &approver1)
	// Approved and not started (the clock is before 30 November): the
	// member may still withdraw it.
	expect("approved", &officer1, "cancel")

	// A unit head's own request: they may cancel it, not decide it.
	w = h.do(t, &head1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-14", "to": "2026-12-15"})
	own := decode[actionsResp](t, w)
	if !slices.Equal(own.Actions, []string{"cancel"}) {
		t.Fatalf("own request: actions %q", own.Actions)
	}
}

// One balance: entitled − taken − pending = available, the same numbers
// for the officer and for the staff who decide.
func TestBalanceIsOneDefinition(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-01", "to": "2026-12-02"}); w.Code != http.StatusCreated {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	type bal struct {
		Balance struct {
			Entitled, Taken, Pending, Available, Days int
		} `json:"balance"`
	}
	own := decode[bal](t, h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/balance?year=2026", nil))
	b := own.Balance
	if b.Pending != 2 || b.Entitled-b.Taken-b.Pending != b.Available || b.Days != b.Entitled-b.Taken {
		t.Fatalf("balance %+v does not add up", b)
	}
	for _, id := range []*auth.Identity{&head1, &approver1} {
		if got := decode[bal](t, h.do(t, id, "GET", "/api/v1/leave/members/m1/balance?year=2026", nil)); got != own {
			t.Fatalf("%s sees %+v, the officer %+v", id.UserID, got, own)
		}
	}
}
