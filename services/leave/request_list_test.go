package leave_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
)

// TestRequestListPages walks the request list two rows a page: every
// request once, none missing, newest first. The test clock stands still, so
// all requests share their created_at and the id alone orders them: the
// cursor's tie-break is what this walks. A repeated status keeps requests in
// either state; a cursor that is not one of ours is a 422 on "after".
func TestRequestListPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	want := map[string]bool{}
	for _, d := range []string{"2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07"} {
		w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": d, "to": d})
		if w.Code != http.StatusCreated {
			t.Fatalf("apply %s: %d %s", d, w.Code, w.Body)
		}
		want[decode[requestResp](t, w).ID] = true
	}
	w := h.do(t, &officer2, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-01", "to": "2026-12-01"})
	if w.Code != http.StatusCreated {
		t.Fatalf("apply m2: %d %s", w.Code, w.Body)
	}
	want[decode[requestResp](t, w).ID] = true

	type listResp struct {
		Items []requestResp `json:"items"`
		Next  string        `json:"next"`
	}
	walk := func(path string) []string {
		t.Helper()
		var ids []string
		after := ""
		for pages := 0; ; pages++ {
			if pages > 10 {
				t.Fatalf("%s: the cursor never ends", path)
			}
			q := path + "&limit=2"
			if after != "" {
				q += "&after=" + url.QueryEscape(after)
			}
			w := h.do(t, &approver1, "GET", q, nil)
			if w.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", q, w.Code, w.Body)
			}
			p := decode[listResp](t, w)
			if len(p.Items) > 2 {
				t.Fatalf("%s: %d rows on a page of 2", q, len(p.Items))
			}
			for _, r := range p.Items {
				ids = append(ids, r.ID)
			}
			if p.Next == "" {
				return ids
			}
			after = p.Next
		}
	}
	check := func(name string, ids []string, want map[string]bool) {
		t.Helper()
		seen := map[string]bool{}
		for _, id := range ids {
			if seen[id] {
				t.Errorf("%s: %s shown twice", name, id)
			}
			seen[id] = true
			if !want[id] {
				t.Errorf("%s: %s is not one of the requests", name, id)
			}
		}
		if len(seen) != len(want) {
			t.Errorf("%s: %d requests over the pages, want %d", name, len(seen), len(want))
		}
	}
	check("every request", walk("/api/v1/leave/requests?year=2026"), want)
	check("waiting in either state", walk("/api/v1/leave/requests?status=pending&status=pending_second"), want)
	if ids := walk("/api/v1/leave/requests?status=approved"); len(ids) != 0 {
		t.Errorf("approved: %v, want none", ids)
	}

	expectProblem(t, h.do(t, &approver1, "GET", "/api/v1/leave/requests?after=not-a-cursor", nil), http.StatusUnprocessableEntity, "validation_failed")
	expectProblem(t, h.do(t, &approver1, "GET", "/api/v1/leave/requests?limit=0", nil), http.StatusUnprocessableEntity, "validation_failed")
}

// The approvers' queue asks for each request's member balance with the
// list (?balances=true), so the page makes no call per member: each item's
// balance is what GET /members/{id}/balance answers for the year the
// request starts in, pending days included; a list not asked for it
// carries none, and a value that is no boolean is a 422 naming balances.
func TestRequestListCarriesEachMembersBalance(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env.Contract = specs.MustLoad(t, "leave")
	for _, tc := range []struct {
		who  *auth.Identity
		from string
	}{{&officer1, "2026-12-01"}, {&officer1, "2026-12-07"}, {&officer2, "2026-12-02"}} {
		if w := h.do(t, tc.who, "POST", "/api/v1/leave/requests", map[string]string{"from": tc.from, "to": tc.from}); w.Code != http.StatusCreated {
			t.Fatalf("apply %s: %d %s", tc.from, w.Code, w.Body)
		}
	}
	type item struct {
		ID       string          `json:"id"`
		MemberID string          `json:"member_id"`
		From     string          `json:"from"`
		Balance  json.RawMessage `json:"balance"`
	}
	type listResp struct {
		Items []item `json:"items"`
	}
	items := decode[listResp](t, h.do(t, &approver1, "GET", "/api/v1/leave/requests?status=pending&balances=true", nil)).Items
	if len(items) != 3 {
		t.Fatalf("%d requests listed, want 3", len(items))
	}
	for _, it := range items {
		var own struct {
			Balance json.RawMessage `json:"balance"`
		}
		w := h.do(t, &approver1, "GET", "/api/v1/leave/members/"+it.MemberID+"/balance?year="+it.From[:4], nil)
		if w.Code != http.StatusOK {
			t.Fatalf("balance of %s: %d %s", it.MemberID, w.Code, w.Body)
		}
		if err := json.Unmarshal(w.Body.Bytes(), &own); err != nil {
			t.Fatal(err)
		}
		var got, want map[string]any
		if err := json.Unmarshal(it.Balance, &got); err != nil {
			t.Fatalf("request %s has no balance: %s", it.ID, it.Balance)
		}
		_ = json.Unmarshal(own.Balance, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("request %s: listed balance %v, the member's own %v", it.ID, got, want)
		}
		if p, _ := got["pending"].(float64); p < 1 {
			t.Errorf("request %s: the balance holds no pending days: %v", it.ID, got)
		}
	}
	if plain := decode[listResp](t, h.do(t, &approver1, "GET", "/api/v1/leave/requests?status=pending", nil)).Items; len(plain) != 3 || plain[0].Balance != nil {
		t.Errorf("a list not asked for balances: %+v", plain)
	}
	w := h.do(t, &approver1, "GET", "/api/v1/leave/requests?balances=maybe", nil)
	expectProblem(t, w, http.StatusUnprocessableEntity, "validation_failed")
	if !strings.Contains(w.Body.String(), `"field":"balances"`) {
		t.Errorf("the refusal does not name balances: %s", w.Body)
	}
}
