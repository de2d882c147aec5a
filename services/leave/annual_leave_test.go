package leave_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
)

type balanceResp struct {
	Balance struct {
		Days, Pending, Available, Taken int
	} `json:"balance"`
	Lines []struct {
		Kind    string `json:"kind"`
		Days    int    `json:"days"`
		Running int    `json:"running"`
	} `json:"lines"`
}

type requestResp struct {
	ID      string `json:"id"`
	Days    int    `json:"days"`
	Status  string `json:"status"`
	Version int64  `json:"version"`
}

func TestAnnualLeaveTwoLevelApproval(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env.Contract = specs.MustLoad(t, "leave")
	// 30 Nov – 8 Dec 2026 is 7 working days: above the 5-day first level.
	q := h.do(t, &officer1, "POST", "/api/v1/leave/requests/quote", map[string]string{"from": "2026-11-30", "to": "2026-12-08"})
	if q.Code != http.StatusOK || !strings.Contains(q.Body.String(), `"days":7`) || !strings.Contains(q.Body.String(), `"second_level":true`) {
		t.Fatalf("quote: %d %s", q.Code, q.Body)
	}
	w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-11-30", "to": "2026-12-08", "reason": "探亲"})
	if w.Code != http.StatusCreated {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	r := decode[requestResp](t, w)
	path := "/api/v1/leave/requests/" + r.ID
	// The approver cannot take the first level; the unit head can.
	expectProblem(t, h.do(t, &approver1, "POST", path+"/approve", nil, "If-Match", etag(r.Version)), http.StatusForbidden, "forbidden")
	w = h.do(t, &head1, "POST", path+"/approve", map[string]string{"comment": "同意"}, "If-Match", etag(r.Version))
	if w.Code != http.StatusOK || decode[requestResp](t, w).Status != "pending_second" {
		t.Fatalf("first level: %d %s", w.Code, w.Body)
	}
	// A stale version is refused and changes nothing.
	expectProblem(t, h.do(t, &approver1, "POST", path+"/approve", nil, "If-Match", etag(r.Version)), http.StatusConflict, "version_mismatch")
	expectProblem(t, h.do(t, &approver1, "POST", path+"/approve", nil), http.StatusPreconditionRequired, "precondition_required")
	w = h.do(t, &approver1, "POST", path+"/approve", nil, "If-Match", etag(r.Version+1))
	if w.Code != http.StatusOK || decode[requestResp](t, w).Status != "approved" {
		t.Fatalf("second level: %d %s", w.Code, w.Body)
	}
	b := decode[balanceResp](t, h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/balance?year=2026", nil))
	if b.Balance.Days != 3 || b.Balance.Taken != 7 || b.Lines[len(b.Lines)-1].Running != 3 {
		t.Fatalf("balance after approval: %+v", b)
	}
	// The unit report shows the same number as the member's balance.
	unit := h.do(t, &cw1, "GET", "/api/v1/leave/units/u1/balances?year=2026", nil)
	if !strings.Contains(unit.Body.String(), `"member_id":"m1","year":2026`) || !strings.Contains(unit.Body.String(), `"days":3,"pending":0,"available":3`) {
		t.Fatalf("unit report: %s", unit.Body)
	}
	// The unit head cannot approve their own request.
	w = h.do(t, &head1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-14", "to": "2026-12-15"})
	own := decode[requestResp](t, w)
	expectProblem(t, h.do(t, &head1, "POST", "/api/v1/leave/requests/"+own.ID+"/approve", nil, "If-Match", etag(own.Version)), http.StatusForbidden, "leave.self_approval")
}

func TestBadLeaveRequestsChangeNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env.Contract = specs.MustLoad(t, "leave")
	w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-01", "to": "2026-12-02"})
	if w.Code != http.StatusCreated {
		t.Fatalf("apply: %d %s", w.Code, w.Body)
	}
	before := h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/balance?year=2026", nil).Body.String()
	list := h.do(t, &officer1, "GET", "/api/v1/leave/requests", nil).Body.String()

	p := expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-10", "to": "2026-12-09"},
		"Accept-Language", "en"), http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "to" || p.Errors[0].Message != "must not be before the start date" {
		t.Fatalf("field errors: %+v", p.Errors)
	}
	// A mistyped year is refused with the window named, on each field.
	p = expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2206-12-01", "to": "2206-12-02"}),
		http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 2 || p.Errors[0].Field != "from" || p.Errors[1].Field != "to" || !strings.HasPrefix(p.Errors[0].Message, "应在 2000-01-01 至 2028-") {
		t.Fatalf("year 2206: %+v", p.Errors)
	}
	p = expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-03", "to": "2026-12-31"}),
		http.StatusConflict, "leave.balance_exceeded")
	if !strings.Contains(p.Title, "需要 21 天，可用 8 天") {
		t.Fatalf("title %q", p.Title)
	}
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-02", "to": "2026-12-03"}),
		http.StatusConflict, "leave.overlap")
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-30", "to": "2027-01-04"}),
		http.StatusUnprocessableEntity, "leave.request_spans_years")
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]any{"from": "2026-12-09", "to": "2026-12-10", "days": 1}),
		http.StatusUnprocessableEntity, "validation_failed")
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", []byte(`{"from": "2026-12-09",`)),
		http.StatusBadRequest, "malformed_json")

	if after := h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/balance?year=2026", nil).Body.String(); after != before {
		t.Fatalf("balance changed:\n%s\n%s", before, after)
	}
	if after := h.do(t, &officer1, "GET", "/api/v1/leave/requests", nil).Body.String(); after != list {
		t.Fatalf("requests changed:\n%s\n%s", list, after)
	}
}

func TestInjuryLeaveFromCaseEvents(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	w := h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-11-30", "to": "2026-12-04"})
	r := decode[requestResp](t, w)
	h.do(t, &head1, "POST", "/api/v1/leave/requests/"+r.ID+"/approve", nil, "If-Match", etag(r.Version))
	// The case names its member once; the leave change omits it.
	h.publish(t, "injury", "case.determined", "c-1", 3, events.CaseV1{CaseID: "c-1", MemberID: "m1", Covered: true})
	h.publish(t, "injury", "case.leave_changed", "c-1", 4, map[string]any{
		"case_id": "c-1", "number": "GC-2026-000001", "start": "2026-12-02", "end": "2027-06-01", "extended_months": 0, "last_day": "2027-06-01",
	})
	waitFor(t, h, "injury leave restores 3 days", func() bool {
		b := decode[balanceResp](t, h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/balance?year=2026", nil))
		return b.Balance.Days == 10-5+3
	})
	expectProblem(t, h.do(t, &officer1, "POST", "/api/v1/leave/requests", map[string]string{"from": "2026-12-21", "to": "2026-12-22"}),
		http.StatusConflict, "leave.overlap_injury_leave")
	if w := h.do(t, &officer1, "GET", "/api/v1/leave/members/m1/injury-leaves", nil); !strings.Contains(w.Body.String(), `"case_id":"c-1"`) {
		t.Fatalf("injury leaves: %s", w.Body)
	}
}

func TestCompensationExports(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if w := h.do(t, &finance, "PUT", "/api/v1/leave/members/m1/pay/2026", map[string]string{"annual_pay": "120000.00"}); w.Code != http.StatusOK {
		t.Fatalf("pay: %d %s", w.Code, w.Body)
	}
	expectProblem(t, h.do(t, &finance, "PUT", "/api/v1/leave/members/m1/pay/2026", map[string]string{"annual_pay": "12.345"}, "If-Match", `"1"`),
		http.StatusUnprocessableEntity, "validation_failed")
	w := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit=u1", nil)
	// m1 has 10 unused days: 120,000 × 2 × 10 ÷ 261 = 9,195.40 extra.
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `"extra":"9195.40"`) || !strings.Contains(w.Body.String(), `"missing_pay":["h1"]`) {
		t.Fatalf("report: %d %s", w.Code, w.Body)
	}
	// The line carries the pay's version, for a correction's If-Match; h1
	// (no pay on file) has none.
	if !strings.Contains(w.Body.String(), `"pay_version":1`) || !strings.Contains(w.Body.String(), `"member_id":"h1","member_name":"","unit_id":"u1","category":"police","pay_version":0`) {
		t.Errorf("report lacks the pay versions: %s", w.Body)
	}
	csv := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?unit=u1&format=csv", nil)
	if !bytes.HasPrefix(csv.Body.Bytes(), []byte("\ufeff人员编号")) || !strings.Contains(csv.Body.String(), "9195.40") {
		t.Fatalf("csv: %q", csv.Body.String())
	}
	xlsx := h.do(t, &finance, "GET", "/api/v1/leave/compensation/2026?format=xlsx", nil)
	if xlsx.Code != http.StatusOK || !bytes.HasPrefix(xlsx.Body.Bytes(), []byte("PK")) {
		t.Fatalf("xlsx: %d", xlsx.Code)
	}
}

func TestAuxiliaryLeaverIsProRated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.member(t, "a1", "u1", "auxiliary_police", "2015-01-01", false)
	b := decode[balanceResp](t, h.do(t, &cw1, "GET", "/api/v1/leave/members/a1/balance?year=2026", nil))
	if b.Balance.Days != 10 {
		t.Fatalf("opening balance: %+v", b)
	}
	// Left on 1 July: employed 181 days, 181/365 × 10 = 4.96, fraction dropped.
	h.publish(t, "enrollment", "member.updated", "a1", 2, events.MemberV1{
		MemberID: "a1", UnitID: "u1", Category: "auxiliary_police", Status: "left", StatusDate: "2026-07-01", HireDate: "2015-01-01",
	})
	waitFor(t, h, "leaver's entitlement corrected", func() bool {
		b = decode[balanceResp](t, h.do(t, &cw1, "GET", "/api/v1/leave/members/a1/balance?year=2026", nil))
		return b.Balance.Days == 4
	})
	if last := b.Lines[len(b.Lines)-1]; last.Kind != "correction" || last.Days != -6 {
		t.Fatalf("correction line: %+v", b.Lines)
	}
	// An older event arriving late changes nothing: once a later event on
	// the same consumer is applied, the stale one has been seen and skipped.
	lines := len(b.Lines)
	h.publish(t, "enrollment", "member.registered", "a1", 1, events.MemberV1{
		MemberID: "a1", UnitID: "u1", Category: "auxiliary_police", Status: "active", HireDate: "2015-01-01",
	})
	h.member(t, "marker", "u1", "police", "2020-01-01", false)
	b = decode[balanceResp](t, h.do(t, &cw1, "GET", "/api/v1/leave/members/a1/balance?year=2026", nil))
	if b.Balance.Days != 4 || len(b.Lines) != lines {
		t.Fatalf("a stale event changed the balance: %+v", b)
	}
}
