package grants_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/page"
)

// Issue 11, grants and finance, over the service's HTTP API.

type historyJSON struct {
	ApplicantName   string `json:"applicant_name"`
	FiledByName     string `json:"filed_by_name"`
	RequestedAmount int64  `json:"requested_amount"`
	Version         int64  `json:"version"`
	State           string `json:"state"`
	History         []struct {
		Step   string `json:"step"`
		Actor  string `json:"actor"`
		Reason string `json:"reason"`
	} `json:"history"`
}

// reviewedHardship is an officer's hardship application of ¥8,000 (one
// approval suffices), submitted and reviewed; it returns its path.
func (h *harness) reviewedHardship(progID string) string {
	t := h.t
	w := h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 800000,
		"documents": []string{"income_proof"}, "form": map[string]any{"income_per_capita": 90000}}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)
	path := "/applications/" + app.ID
	w = h.do(&officer, "POST", path+"/submit", nil, app.Version)
	want(t, w, 200, "")
	w = h.do(&caseworker, "POST", path+"/review", nil, decode[appJSON](t, w).Version)
	want(t, w, 200, "")
	return path
}

// TestApproverCommentIsKeptWithTheApproval: the approver's comment is
// recorded with the committee approval and read back in the history; one
// too long is refused next to the comment and changes nothing.
func TestApproverCommentIsKeptWithTheApproval(t *testing.T) {
	h := start(t)
	_, progID := h.setupFund(50000000)
	path := h.reviewedHardship(progID)
	app := decode[historyJSON](t, h.do(&approverA, "GET", path, nil, 0))
	wantField(t, h.do(&approverA, "POST", path+"/approve", map[string]any{"comment": strings.Repeat("长", 2001)}, app.Version), "comment", "grants.field.too_long")
	if after := decode[historyJSON](t, h.do(&approverA, "GET", path, nil, 0)); after.Version != app.Version || after.State != "reviewed" {
		t.Fatalf("a refused approval changed the application: %+v", after)
	}
	comment := "家庭收入低于困难线，材料齐全，同意资助"
	w := h.do(&approverA, "POST", path+"/approve", map[string]any{"comment": "  " + comment + " "}, app.Version)
	want(t, w, 200, "")
	got := decode[historyJSON](t, w)
	last := got.History[len(got.History)-1]
	if got.State != "approved" || last.Step != "committee_approval" || last.Actor != approverA.UserID || last.Reason != comment {
		t.Fatalf("after approving with a comment: state %s, last step %+v", got.State, last)
	}
}

// TestFormFollowsItsProgramme: the hardship programme asks the amount and
// the household income, never a disability grade or a cause of death; the
// service says so per field on create and on edit, and creates nothing.
func TestFormFollowsItsProgramme(t *testing.T) {
	h := start(t)
	_, progID := h.setupFund(50000000)
	p := decode[struct {
		FormFields []string `json:"form_fields"`
	}](t, h.do(&officer, "GET", "/programs/"+progID, nil, 0))
	if strings.Join(p.FormFields, ",") != "requested_amount,income_per_capita" {
		t.Fatalf("the hardship programme asks %v", p.FormFields)
	}
	body := map[string]any{"program_id": progID, "requested_amount": 300000, "form": map[string]any{"income_per_capita": 90000, "grade": 5, "cause": "martyr"}}
	w := h.do(&officer, "POST", "/applications", body, 0)
	wantField(t, w, "form.grade", "grants.field.not_asked")
	wantField(t, w, "form.cause", "grants.field.not_asked")
	if n := len(items[appJSON](t, h.do(&officer, "GET", "/applications", nil, 0))); n != 0 {
		t.Fatalf("a refused form left %d applications", n)
	}
	w = h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 300000, "form": map[string]any{"income_per_capita": 90000}}, 0)
	want(t, w, 201, "")
	app := decode[appJSON](t, w)
	wantField(t, h.do(&officer, "PUT", "/applications/"+app.ID, map[string]any{"requested_amount": 300000, "form": map[string]any{"event_date": "2026-03-01"}}, app.Version),
		"form.event_date", "grants.field.not_asked")
	// A mistyped year is refused for what it is, with the range named.
	msg := wantField(t, h.do(&officer, "PUT", "/applications/"+app.ID, map[string]any{"requested_amount": 300000, "form": map[string]any{"event_date": "0006-03-01"}}, app.Version),
		"form.event_date", "field.range")
	if !strings.HasPrefix(msg, "应在 1950-01-01 至 ") {
		t.Errorf("year 0006: %q", msg)
	}
}

// TestMalformedIdsAreNotFoundOrNamedFields: ids are compared as uuids; a
// malformed one in a path is a 404, in a filter or a body a 422 naming
// the field, never a 500.
func TestMalformedIdsAreNotFoundOrNamedFields(t *testing.T) {
	h := start(t)
	fundID, _ := h.setupFund(50000000)
	for _, tc := range []struct {
		who          auth.Identity
		method, path string
		body         any
	}{
		{officer, "GET", "/applications/GA-2026-000001", nil},
		{officer, "GET", "/applications/1'--", nil},
		{officer, "GET", "/programs/nope", nil},
		{finance, "GET", "/funds/nope", nil},
		{finance, "GET", "/funds/nope/entries", nil},
		{finance, "GET", "/funds/nope/trial-balance", nil},
		{finance, "GET", "/funds/nope/position", nil},
		{finance, "GET", "/exports/nope", nil},
		{caseworker, "POST", "/notices/nope/dismiss", map[string]any{"reason": "x"}},
	} {
		if w := h.do(&tc.who, tc.method, tc.path, tc.body, 0); w.Code != 404 {
			t.Errorf("%s %s = %d, want 404: %s", tc.method, tc.path, w.Code, w.Body)
		}
	}
	wantField(t, h.do(&finance, "GET", "/funds/"+fundID+"/entries?program_id=nope", nil, 0), "program_id", "grants.field.invalid_id")
	wantField(t, h.do(&finance, "GET", "/funds/"+fundID+"/trial-balance?program_id=nope", nil, 0), "program_id", "grants.field.invalid_id")
	wantField(t, h.do(&officer, "GET", "/programs?fund_id=nope", nil, 0), "fund_id", "grants.field.invalid_id")
	wantField(t, h.do(&officer, "POST", "/applications", map[string]any{"program_id": "nope"}, 0), "program_id", "grants.field.invalid_id")
	wantField(t, h.do(&finance, "POST", "/exports", map[string]any{"fund_id": "nope", "from": "2026-01-01", "to": "2026-12-31", "format": "csv"}, 0),
		"fund_id", "grants.field.unknown_value")
}

// TestMemoAccountsOnTheirNormalSide: after an approval the trial balance
// shows 9101 已承诺资助 as a positive debit balance and its contra 9102 as
// a positive credit balance, each with its side.
func TestMemoAccountsOnTheirNormalSide(t *testing.T) {
	h := start(t)
	fundID, progID := h.setupFund(50000000)
	path := h.reviewedHardship(progID)
	app := decode[appJSON](t, h.do(&approverA, "GET", path, nil, 0))
	want(t, h.do(&approverA, "POST", path+"/approve", nil, app.Version), 200, "")
	tb := decode[struct {
		Rows []struct {
			Code       string `json:"code"`
			NormalSide string `json:"normal_side"`
			Balance    int64  `json:"balance"`
		} `json:"rows"`
	}](t, h.do(&finance, "GET", "/funds/"+fundID+"/trial-balance", nil, 0))
	sides := map[string]string{"1011": "debit", "4001": "credit", "9101": "debit", "9102": "credit"}
	seen := 0
	for _, r := range tb.Rows {
		if want, ok := sides[r.Code]; ok {
			seen++
			if r.NormalSide != want || r.Balance <= 0 {
				t.Errorf("account %s: side %s balance %d, want a positive %s balance", r.Code, r.NormalSide, r.Balance, want)
			}
		}
		if (r.Code == "9101" || r.Code == "9102") && r.Balance != 800000 {
			t.Errorf("account %s balance %d, want the ¥8,000.00 committed", r.Code, r.Balance)
		}
	}
	if seen != len(sides) {
		t.Fatalf("the trial balance lacks accounts: %+v", tb.Rows)
	}
}

// TestFinanceReadsThePayeeInFullAudited: finance reads an approved
// application with the payee's name in full, and every such read is in
// the audit log; an approver still sees it masked.
func TestFinanceReadsThePayeeInFullAudited(t *testing.T) {
	h := start(t)
	_, progID := h.setupFund(50000000)
	path := h.reviewedHardship(progID)
	if got := decode[historyJSON](t, h.do(&approverA, "GET", path, nil, 0)).ApplicantName; got != "张**" {
		t.Errorf("the approver reads the applicant as %q, want masked", got)
	}
	app := decode[appJSON](t, h.do(&approverA, "GET", path, nil, 0))
	want(t, h.do(&approverA, "POST", path+"/approve", nil, app.Version), 200, "")
	id := strings.TrimPrefix(path, "/applications/")
	before := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.application.view_payee' AND actor = $1 AND object_id = $2`, finance.UserID, id)
	got := decode[historyJSON](t, h.do(&finance, "GET", path, nil, 0))
	if got.ApplicantName != "张三丰" || got.FiledByName != "" {
		t.Errorf("finance reads applicant %q filed by %q, want 张三丰 and no filer (the officer filed it)", got.ApplicantName, got.FiledByName)
	}
	if n := h.count(`SELECT count(*) FROM audit_log WHERE action = 'grants.application.view_payee' AND actor = $1 AND object_id = $2`, finance.UserID, id); n != before+1 {
		t.Errorf("%d audit rows of finance's read, want %d", n, before+1)
	}
	if !slices.ContainsFunc(got.History, func(x struct {
		Step   string `json:"step"`
		Actor  string `json:"actor"`
		Reason string `json:"reason"`
	}) bool {
		return x.Step == "committee_approval"
	}) {
		t.Error("the history lacks the approval")
	}
}

// TestApplicationsAndEntriesPageByKey: the lists of applications and of
// ledger entries follow pkg/page: ?limit=&after= in, {"items", "next"}
// out, every row once across the pages, newest application first; a bad
// cursor or limit is a 422 naming the field.
func TestApplicationsAndEntriesPageByKey(t *testing.T) {
	h := start(t)
	fundID, progID := h.setupFund(50000000)
	var made []string
	for range 5 {
		w := h.do(&officer, "POST", "/applications", map[string]any{"program_id": progID, "requested_amount": 100000, "form": map[string]any{"income_per_capita": 90000}}, 0)
		want(t, w, 201, "")
		made = append(made, decode[appJSON](t, w).Number)
		h.env.Clock.Advance(time.Minute)
	}
	type pageJSON struct {
		Items []appJSON `json:"items"`
		Next  string    `json:"next"`
	}
	var seen []string
	after := ""
	for range 4 {
		p := decode[pageJSON](t, h.do(&officer, "GET", "/applications?scope=mine&limit=2&after="+after, nil, 0))
		for _, a := range p.Items {
			seen = append(seen, a.Number)
		}
		if after = p.Next; after == "" {
			break
		}
	}
	slices.Reverse(made)
	if strings.Join(seen, ",") != strings.Join(made, ",") {
		t.Errorf("pages of 2 listed %v, want %v newest first", seen, made)
	}
	wantField(t, h.do(&officer, "GET", "/applications?limit=0", nil, 0), "limit", "field.range")
	wantField(t, h.do(&officer, "GET", "/applications?after=junk", nil, 0), "after", "field.invalid")
	// the ledger: the appropriation is one entry; approvals add more
	path := h.reviewedHardship(progID)
	app := decode[appJSON](t, h.do(&approverA, "GET", path, nil, 0))
	want(t, h.do(&approverA, "POST", path+"/approve", nil, app.Version), 200, "")
	first := decode[struct {
		Items []map[string]any `json:"items"`
		Next  string           `json:"next"`
	}](t, h.do(&finance, "GET", "/funds/"+fundID+"/entries?limit=1", nil, 0))
	if len(first.Items) != 1 || first.Next == "" {
		t.Fatalf("the first page of one entry: %d items, next %q", len(first.Items), first.Next)
	}
	rest := decode[struct {
		Items []map[string]any `json:"items"`
		Next  string           `json:"next"`
	}](t, h.do(&finance, "GET", "/funds/"+fundID+"/entries?limit=10&after="+first.Next, nil, 0))
	if len(rest.Items) != 1 || rest.Next != "" || rest.Items[0]["kind"] != "commitment" {
		t.Errorf("the page after the first: %v, next %q", rest.Items, rest.Next)
	}
	wantField(t, h.do(&finance, "GET", "/funds/"+fundID+"/entries?after=junk", nil, 0), "after", "field.invalid")
	// the ledger's cursor is a day and an entry: a cursor of another shape
	// or with a day that is none is refused the same way
	for _, c := range []string{page.Cursor(7), page.Cursor("2026-02-30", 7), page.Cursor(7, "2026-03-02")} {
		wantField(t, h.do(&finance, "GET", "/funds/"+fundID+"/entries?after="+c, nil, 0), "after", "field.invalid")
	}
}
