package gateway_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// The security promise, proved against the real services: an
// officer (and a family member of another officer) cannot see or change
// another officer's injury case, its documents and comments, leave
// request, recuperation stay, health check or grant applications, through
// any page or any /api/v1/<service>/… route. Each attempt answers 404 (the
// 404 page; a not_found problem) exactly as for an object that does not
// exist, or 403 where the route is for another role altogether; the
// officer's objects are unchanged afterwards.

// accessObjects are the ids (and versions) of officer A's objects, or of
// objects that do not exist.
type accessObjects struct {
	Member             string
	Case, Doc          string
	CaseVersion        int64
	Leave              string
	LeaveVersion       int64
	Stay               string
	StayVersion        int64
	Check              string
	CheckVersion       int64
	Draft, Submitted   string
	DraftV, SubmittedV int64
	GrantDoc           string // a file uploaded to the draft
	// Care is A's family-care record (opened by the caseworker), with a
	// visit and a matter at version CareMatterV.
	Care, CareVisit, CareMatter string
	CareMatterV                 int64
}

// ghost is o with every id replaced by one that names nothing: the
// answer to an attempt on A's object must be the same as on a ghost.
func (o accessObjects) ghost() accessObjects {
	g := o
	id := func(n int) string { return fmt.Sprintf("0190c0de-dead-7000-8000-%012d", n) }
	g.Member, g.Case, g.Doc, g.Leave, g.Stay, g.Check, g.Draft, g.Submitted = id(1), id(2), id(3), id(4), id(5), id(6), id(7), id(8)
	g.GrantDoc = id(9)
	g.Care, g.CareVisit, g.CareMatter = id(10), id(11), id(12)
	return g
}

// accessAttempt is one row: a request B (or the family member) sends
// about A's objects, and the status each must get.
type accessAttempt struct {
	name   string
	page   bool
	method string
	path   func(o accessObjects) string
	form   func(o accessObjects) url.Values // page POST
	upload bool                             // page POST of a file
	body   func(o accessObjects) any        // API body: JSON value or []byte
	match  func(o accessObjects) int64      // API If-Match version
	// officer and family are the statuses officer B and the family member
	// of another officer must get; 0 leaves the row out for them.
	officer, family int
	// ownFamily is the status A's own family member must get on a change
	// that is A's alone to make (0: not asked).
	ownFamily int
}

// caseActions are the case page's actions with a valid value for every
// field: as a form (yuan as typed) and as the API's JSON.
var caseActions = []struct {
	name string
	form url.Values
	json map[string]any
}{
	{"acknowledge", nil, nil},
	{"confirm_handoff", url.Values{"hospital": {"县人民医院"}, "guarantee_fen": {"100"}}, map[string]any{"hospital": "县人民医院", "guarantee_fen": 10000}},
	{"record_guarantee", url.Values{"hospital": {"县人民医院"}, "amount_fen": {"100"}}, map[string]any{"hospital": "县人民医院", "amount_fen": 10000}},
	{"identify_member", url.Values{"member_id": {"{member_b}"}}, map[string]any{"member_id": "{member_b}"}},
	{"file_determination", url.Values{"filed_on": {"2026-11-27"}}, map[string]any{"filed_on": "2026-11-27"}},
	{"request_documents", url.Values{"on": {"2026-11-27"}}, map[string]any{"on": "2026-11-27"}},
	{"supplement_documents", url.Values{"on": {"2026-11-27"}}, map[string]any{"on": "2026-11-27"}},
	{"accept_filing", url.Values{"accepted_on": {"2026-11-27"}, "clear_facts": {"on"}}, map[string]any{"accepted_on": "2026-11-27", "clear_facts": true}},
	{"pause_decision", url.Values{"reason": {"等待材料"}}, map[string]any{"reason": "等待材料"}},
	{"resume_decision", nil, nil},
	{"decide", url.Values{"decided_on": {"2026-11-27"}, "outcome": {"rejected"}, "clause": {"1"}, "reason": {"不予认定"}},
		map[string]any{"decided_on": "2026-11-27", "outcome": "rejected", "clause": 1, "reason": "不予认定"}},
	{"request_grading", url.Values{"applied_on": {"2026-11-27"}}, map[string]any{"applied_on": "2026-11-27"}},
	{"extend_grading", nil, nil},
	{"record_grade", url.Values{"graded_on": {"2026-11-27"}, "grade": {"7"}, "nursing": {"none"}}, map[string]any{"graded_on": "2026-11-27", "grade": 7, "nursing": "none"}},
	{"start_leave", url.Values{"start": {"2026-11-27"}}, map[string]any{"start": "2026-11-27"}},
	{"extend_leave", url.Values{"months": {"1"}}, map[string]any{"months": 1}},
	{"end_leave", url.Values{"on": {"2026-11-27"}}, map[string]any{"on": "2026-11-27"}},
	{"close", url.Values{"reason": {"withdrawn"}}, map[string]any{"reason": "withdrawn"}},
}

var (
	grantPageSteps = []string{"submit", "review", "approve", "reject", "return", "withdraw", "disburse"}
	grantAPISteps  = []string{"submit", "review", "approve", "reject", "return", "withdraw", "disburse", "recheck"}
)

// accessAttempts is the table: every page and API route that reads or
// changes one of A's objects.
func accessAttempts(memberB string, png []byte) []accessAttempt {
	const nf, forb = http.StatusNotFound, http.StatusForbidden
	p := func(f func(o accessObjects) string) func(o accessObjects) string { return f }
	withVersion := func(v func(o accessObjects) int64, extra url.Values) func(o accessObjects) url.Values {
		return func(o accessObjects) url.Values {
			f := url.Values{"version": {fmt.Sprint(v(o))}}
			for k, vs := range extra {
				for _, x := range vs {
					f.Add(k, strings.ReplaceAll(x, "{member_b}", memberB))
				}
			}
			return f
		}
	}
	caseV := func(o accessObjects) int64 { return o.CaseVersion }
	leaveV := func(o accessObjects) int64 { return o.LeaveVersion }
	stayV := func(o accessObjects) int64 { return o.StayVersion }
	checkV := func(o accessObjects) int64 { return o.CheckVersion }
	stale := func(o accessObjects) int64 { return 999 }
	fixed := func(v any) func(o accessObjects) any { return func(accessObjects) any { return v } }

	rows := []accessAttempt{
		// The injury case, its timeline, comments and documents.
		{name: "page: case", page: true, method: "GET", path: p(func(o accessObjects) string { return "/cases/" + o.Case }), officer: nf, family: nf},
		{name: "page: case document download", page: true, method: "GET", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/documents/" + o.Doc }), officer: nf, family: nf},
		{name: "page: comment on the case", page: true, method: "POST", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/comments" }),
			form: func(accessObjects) url.Values { return url.Values{"comment": {"我也来看看"}} }, officer: nf, family: nf},
		{name: "page: empty comment (refused form shows the case)", page: true, method: "POST", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/comments" }),
			form: func(accessObjects) url.Values { return url.Values{"comment": {""}} }, officer: nf, family: nf},
		{name: "page: upload a document to the case", page: true, method: "POST", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/documents" }),
			upload: true, officer: nf, family: nf},
		{name: "page: calculate benefits (caseworkers only)", page: true, method: "POST", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/calculations" }),
			form: func(accessObjects) url.Values {
				return url.Values{"wages": {"8000"}, "grade": {"7"}, "nursing": {"none"}}
			}, officer: forb, family: forb},
		{name: "api: GET case", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case }), officer: nf, family: nf},
		{name: "api: GET case timeline", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/timeline" }), officer: nf, family: nf},
		{name: "api: GET case documents", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/documents" }), officer: nf, family: nf},
		{name: "api: GET document content", method: "GET", path: p(func(o accessObjects) string {
			return "/api/v1/injury/cases/" + o.Case + "/documents/" + o.Doc + "/content"
		}), officer: nf, family: nf},
		{name: "api: GET case calculations", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/calculations" }), officer: nf, family: nf},
		{name: "api: POST comment", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/comments" }),
			body: fixed(map[string]any{"body": "我也来看看"}), officer: nf, family: nf},
		{name: "api: POST document", method: "POST", path: p(func(o accessObjects) string {
			return "/api/v1/injury/cases/" + o.Case + "/documents?kind=photo&file_name=x.png"
		}), body: fixed(png), officer: nf, family: nf},
		{name: "api: POST calculation", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/calculations" }),
			body: fixed(map[string]any{"wages": []int{800000, 800000, 800000}, "job_arranged": false}), officer: nf, family: nf},

		// The leave request and the member's leave records.
		{name: "page: cancel the leave request", page: true, method: "POST", path: p(func(o accessObjects) string { return "/leave/requests/" + o.Leave + "/cancel" }),
			form: withVersion(leaveV, nil), officer: nf, family: forb, ownFamily: forb},
		{name: "page: confirmed cancel of the leave request", page: true, method: "POST", path: p(func(o accessObjects) string { return "/leave/requests/" + o.Leave + "/cancel" }),
			form: withVersion(leaveV, url.Values{"confirm": {"yes"}}), officer: nf, family: forb, ownFamily: forb},
		{name: "page: approve the leave request (unit heads only)", page: true, method: "POST", path: p(func(o accessObjects) string { return "/approvals/leave/" + o.Leave + "/approve" }),
			form: withVersion(leaveV, nil), officer: forb, family: forb},
		{name: "api: GET leave request", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/requests/" + o.Leave }), officer: nf, family: nf},
		// Printed documents follow their objects: 404 through the page's
		// print link and through the service's own route alike.
		{name: "page: print the leave slip", page: true, method: "GET", path: p(func(o accessObjects) string { return "/leave/requests/" + o.Leave + "/print/slip" }), officer: nf, family: nf},
		{name: "api: print the leave slip", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/requests/" + o.Leave + "/slip.pdf" }), officer: nf, family: nf},
		{name: "page: print the case summary", page: true, method: "GET", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/print/summary" }), officer: nf, family: nf},
		{name: "page: print the determination cover", page: true, method: "GET", path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/print/determination-cover" }),
			officer: nf, family: nf},
		{name: "api: print the case summary", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/summary.pdf" }), officer: nf, family: nf},
		{name: "api: print the determination cover", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/determination-cover.pdf" }),
			officer: nf, family: nf},
		{name: "page: print the approval sheet", page: true, method: "GET", path: p(func(o accessObjects) string { return "/grants/applications/" + o.Submitted + "/print/approval-sheet" }),
			officer: nf, family: nf},
		{name: "api: print the approval sheet", method: "GET", path: p(func(o accessObjects) string {
			return "/api/v1/grants/applications/" + o.Submitted + "/approval-sheet.pdf"
		}),
			officer: nf, family: nf},
		{name: "api: cancel leave request", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/requests/" + o.Leave + "/cancel" }),
			match: leaveV, officer: nf, family: nf, ownFamily: forb},
		{name: "api: cancel leave request at a stale version", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/requests/" + o.Leave + "/cancel" }),
			match: stale, officer: nf, family: nf},
		{name: "api: approve leave request (unit heads only)", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/requests/" + o.Leave + "/approve" }),
			match: leaveV, officer: forb, family: forb},
		{name: "api: reject leave request (unit heads only)", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/requests/" + o.Leave + "/reject" }),
			match: leaveV, officer: forb, family: forb},
		{name: "api: GET member's leave balance", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/members/" + o.Member + "/balance" }), officer: nf, family: nf},
		{name: "api: GET member's entitlement", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/members/" + o.Member + "/entitlement" }), officer: nf, family: nf},
		{name: "api: GET member's injury leaves", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/members/" + o.Member + "/injury-leaves" }), officer: nf, family: nf},
		{name: "api: adjust member's balance (staff only)", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/members/" + o.Member + "/adjustments" }),
			body: fixed(map[string]any{"year": 2026, "days": 5, "reason": "补假"}), officer: forb, family: forb},

		// The recuperation stay.
		{name: "page: cancel the recuperation stay", page: true, method: "POST", path: p(func(o accessObjects) string { return "/care/recuperation/bookings/" + o.Stay + "/cancel" }),
			form: withVersion(stayV, nil), officer: nf, family: forb, ownFamily: forb},
		{name: "page: confirmed cancel of the recuperation stay", page: true, method: "POST", path: p(func(o accessObjects) string { return "/care/recuperation/bookings/" + o.Stay + "/cancel" }),
			form: withVersion(stayV, url.Values{"confirm": {"yes"}}), officer: nf, family: forb, ownFamily: forb},
		{name: "page: caseworker's cancel of the stay (caseworkers only)", page: true, method: "POST", path: p(func(o accessObjects) string {
			return "/work/recuperation-bookings/" + o.Stay + "/cancel"
		}), form: withVersion(stayV, nil), officer: forb, family: forb},
		{name: "api: GET recuperation booking", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/recuperation/bookings/" + o.Stay }), officer: nf, family: nf},
		{name: "api: cancel recuperation booking", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/recuperation/bookings/" + o.Stay + "/cancel" }),
			match: stayV, officer: nf, family: nf, ownFamily: forb},
		{name: "api: cancel recuperation booking at a stale version", method: "POST", path: p(func(o accessObjects) string {
			return "/api/v1/leave/recuperation/bookings/" + o.Stay + "/cancel"
		}), match: stale, officer: nf, family: nf},

		// The health check.
		{name: "page: cancel the health check", page: true, method: "POST", path: p(func(o accessObjects) string { return "/care/health-checks/bookings/" + o.Check + "/cancel" }),
			form: withVersion(checkV, nil), officer: nf, family: forb, ownFamily: forb},
		{name: "page: confirmed cancel of the health check", page: true, method: "POST", path: p(func(o accessObjects) string { return "/care/health-checks/bookings/" + o.Check + "/cancel" }),
			form: withVersion(checkV, url.Values{"confirm": {"yes"}}), officer: nf, family: forb, ownFamily: forb},
		{name: "page: caseworker's cancel of the health check (caseworkers only)", page: true, method: "POST", path: p(func(o accessObjects) string {
			return "/work/health-check-bookings/" + o.Check + "/cancel"
		}), form: withVersion(checkV, nil), officer: forb, family: forb},
		{name: "page: record the health check's result (caseworkers only)", page: true, method: "POST", path: p(func(o accessObjects) string {
			return "/work/health-check-bookings/" + o.Check + "/complete"
		}), form: withVersion(checkV, url.Values{"result": {"正常"}}), officer: forb, family: forb},
		{name: "page: mark the health check a no-show (caseworkers only)", page: true, method: "POST", path: p(func(o accessObjects) string {
			return "/work/health-check-bookings/" + o.Check + "/no-show"
		}), form: withVersion(checkV, nil), officer: forb, family: forb},
		{name: "api: GET health-check booking", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/health-checks/bookings/" + o.Check }), officer: nf, family: nf},
		{name: "api: GET health-check result", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/leave/health-checks/bookings/" + o.Check + "/result" }), officer: nf, family: nf},
		{name: "api: cancel health check", method: "POST", path: p(func(o accessObjects) string { return "/api/v1/leave/health-checks/bookings/" + o.Check + "/cancel" }),
			match: checkV, officer: nf, family: nf, ownFamily: forb},
		{name: "api: complete health check (caseworkers only)", method: "POST", path: p(func(o accessObjects) string {
			return "/api/v1/leave/health-checks/bookings/" + o.Check + "/complete"
		}), match: checkV, body: fixed(map[string]any{"result": "正常"}), officer: forb, family: forb},
		{name: "api: no-show health check (caseworkers only)", method: "POST", path: p(func(o accessObjects) string {
			return "/api/v1/leave/health-checks/bookings/" + o.Check + "/no-show"
		}), match: checkV, officer: forb, family: forb},

		// The member record behind it all (officers read only their own;
		// the registry is not for family members at all).
		{name: "api: GET member", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/enrollment/members/" + o.Member }), officer: nf, family: forb},
		{name: "api: GET member's id number", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/enrollment/members/" + o.Member + "/id-number" }), officer: nf, family: forb},
		{name: "api: GET member's dependants", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/enrollment/members/" + o.Member + "/dependants" }), officer: nf, family: forb},
		{name: "api: GET member's history", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/enrollment/members/" + o.Member + "/history" }), officer: nf, family: forb},
		{name: "api: GET member's enrollments", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/enrollment/members/" + o.Member + "/enrollments" }), officer: nf, family: forb},
		{name: "api: GET member's coverage", method: "GET", path: p(func(o accessObjects) string { return "/api/v1/enrollment/members/" + o.Member + "/coverage" }), officer: nf, family: forb},
	}

	rows = append(rows, careAttempts(png)...)

	for _, a := range caseActions {
		form := a.form
		rows = append(rows, accessAttempt{name: "page: case action " + a.name, page: true, method: "POST",
			path: p(func(o accessObjects) string { return "/cases/" + o.Case + "/actions/" + a.name }),
			form: withVersion(caseV, form), officer: nf, family: nf})
		var body any
		if a.json != nil {
			m := map[string]any{}
			for k, v := range a.json {
				if v == "{member_b}" {
					v = memberB
				}
				m[k] = v
			}
			body = m
		}
		rows = append(rows, accessAttempt{name: "api: case action " + a.name, method: "POST",
			path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/actions/" + a.name }),
			body: fixed(body), match: caseV, officer: nf, family: nf})
	}
	rows = append(rows, accessAttempt{name: "api: case action close at a stale version", method: "POST",
		path: p(func(o accessObjects) string { return "/api/v1/injury/cases/" + o.Case + "/actions/close" }),
		body: fixed(map[string]any{"reason": "withdrawn"}), match: stale, officer: nf, family: nf})

	for _, app := range []struct {
		label string
		id    func(o accessObjects) string
		v     func(o accessObjects) int64
	}{
		{"draft", func(o accessObjects) string { return o.Draft }, func(o accessObjects) int64 { return o.DraftV }},
		{"submitted", func(o accessObjects) string { return o.Submitted }, func(o accessObjects) int64 { return o.SubmittedV }},
	} {
		rows = append(rows,
			accessAttempt{name: "page: " + app.label + " grant application", page: true, method: "GET",
				path: p(func(o accessObjects) string { return "/grants/applications/" + app.id(o) }), officer: nf, family: nf},
			accessAttempt{name: "api: GET " + app.label + " grant application", method: "GET",
				path: p(func(o accessObjects) string { return "/api/v1/grants/applications/" + app.id(o) }), officer: nf, family: nf},
			accessAttempt{name: "api: GET " + app.label + " grant assessment", method: "GET",
				path: p(func(o accessObjects) string { return "/api/v1/grants/applications/" + app.id(o) + "/assessment" }), officer: nf, family: nf},
			accessAttempt{name: "api: PUT " + app.label + " grant application", method: "PUT",
				path: p(func(o accessObjects) string { return "/api/v1/grants/applications/" + app.id(o) }),
				body: fixed(map[string]any{"requested_amount": 1, "documents": []string{"家庭收入证明"}}), match: app.v, officer: nf, family: nf},
			accessAttempt{name: "page: edit form of " + app.label + " grant application", page: true, method: "GET",
				path: p(func(o accessObjects) string { return "/grants/applications/" + app.id(o) + "/edit" }), officer: nf, family: nf},
			accessAttempt{name: "page: save edit of " + app.label + " grant application", page: true, method: "POST",
				path: p(func(o accessObjects) string { return "/grants/applications/" + app.id(o) + "/edit" }),
				form: withVersion(app.v, url.Values{"requested_amount": {"1"}, "income_per_capita": {"100"}, "documents": {"家庭收入证明"}}), officer: nf, family: nf},
			accessAttempt{name: "api: upload a file to " + app.label + " grant application", method: "POST",
				path: p(func(o accessObjects) string { return "/api/v1/grants/applications/" + app.id(o) + "/documents" }),
				body: func(accessObjects) any { ct, data := grantFilePart(png); return accessRawBody{ct, data} }, officer: nf, family: nf},
			accessAttempt{name: "api: PUT " + app.label + " grant application at a stale version", method: "PUT",
				path: p(func(o accessObjects) string { return "/api/v1/grants/applications/" + app.id(o) }),
				body: fixed(map[string]any{"requested_amount": 1}), match: stale, officer: nf, family: nf},
		)
		for _, step := range grantPageSteps {
			rows = append(rows, accessAttempt{name: "page: " + step + " " + app.label + " grant application", page: true, method: "POST",
				path: p(func(o accessObjects) string { return "/grants/applications/" + app.id(o) + "/" + step }),
				form: withVersion(app.v, url.Values{"reason": {"不符合条件"}}), officer: nf, family: nf})
		}
		for _, step := range grantAPISteps {
			rows = append(rows, accessAttempt{name: "api: " + step + " " + app.label + " grant application", method: "POST",
				path:  p(func(o accessObjects) string { return "/api/v1/grants/applications/" + app.id(o) + "/" + step }),
				match: app.v, body: fixed(map[string]any{"reason": "不符合条件"}), officer: nf, family: nf})
		}
	}
	rows = append(rows,
		accessAttempt{name: "page: download the draft's file", page: true, method: "GET",
			path: p(func(o accessObjects) string { return "/grants/applications/" + o.Draft + "/documents/" + o.GrantDoc }), officer: nf, family: nf},
		accessAttempt{name: "api: GET the draft's file", method: "GET",
			path: p(func(o accessObjects) string {
				return "/api/v1/grants/applications/" + o.Draft + "/documents/" + o.GrantDoc
			}), officer: nf, family: nf},
	)
	return rows
}

// accessWorld is the county of startRealSystem with a second officer (B)
// of the same unit, and the objects officer A made through the pages.
type accessWorld struct {
	s       *realSystem
	a       *accessUser
	memberB string
	objs    accessObjects
	// secrets are texts of A's objects no answer to B may contain.
	secrets []string
	// snapshot is A's view of each object before the attempts.
	snapshot map[string]string
}

func buildAccessWorld(t *testing.T) *accessWorld {
	t.Helper()
	s := startRealSystem(t)
	w := &accessWorld{s: s}
	ctx := context.Background()
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}

	// Officer B: another member of the same unit, with an account.
	w.memberB = s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "钱明", "category": "police", "post": map[string]any{"frontline": true},
		"id_number": idcard.Generate("110105", time.Date(1990, 6, 7, 0, 0, 0, 0, time.UTC), 31, true),
		"phone":     "13900139000", "hire_date": "2012-07-01",
	}, 201)["id"].(string)
	if _, err := gateway.SeedUsers(ctx, s.env.Deps, gateway.Config{}, []gateway.DemoUser{{Username: "officerb", DisplayName: "钱警官",
		Roles: []auth.Role{auth.RoleOfficer}, MemberID: w.memberB, Units: []string{s.unit}, Password: journeyPassword("officerb")}}); err != nil {
		t.Fatal(err)
	}
	apptest.Eventually(t, 20*time.Second, "officer B's member.registered reached leave", func() bool {
		return s.env.Do(t, s.h["leave"], &cw, "GET", "/api/v1/leave/members/"+w.memberB+"/balance?year=2026", nil).Code == http.StatusOK
	})

	// What an administrator and the caseworker set up: a recuperation
	// session with places for the unit, a health-check round with a slot.
	facility := s.call(t, admin, "POST", "/api/v1/leave/recuperation/facilities", map[string]any{"name": "县疗养院", "location": "温泉镇"}, 201)["id"].(string)
	session := s.call(t, admin, "POST", "/api/v1/leave/recuperation/facilities/"+facility+"/sessions",
		map[string]any{"from": "2026-12-07", "to": "2026-12-11", "capacity": 5}, 201)["id"].(string)
	s.call(t, admin, "PUT", "/api/v1/leave/recuperation/quotas/2026/"+s.unit, map[string]any{"places": 3}, 200)
	round := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds",
		map[string]any{"unit_id": s.unit, "year": 2026, "opens": "2026-11-01", "closes": "2026-12-31"}, 201)["id"].(string)
	slot := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds/"+round+"/slots",
		map[string]any{"starts_at": time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC), "capacity": 5}, 201)["id"].(string)

	// Officer A makes one object of each kind through the pages.
	a := accessSignIn(t, s.gateway, "officer")
	w.a = a
	const place, description, comment, reason = "城关派出所东门（甲）", "巡逻时摔伤左臂（甲）", "甲的私下说明：请勿外传", "甲回老家探亲"
	r := a.page(t, "POST", "/injury/report", url.Values{"unit_id": {s.unit}, "severity": {"serious"},
		"injured_at": {"2026-11-27T09:30"}, "place": {place}, "description": {description}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/cases/") {
		t.Fatalf("A reports an injury = %d %s %s", r.status, r.header.Get("Location"), snippet(r.body))
	}
	w.objs.Case = strings.TrimPrefix(strings.SplitN(r.header.Get("Location"), "?", 2)[0], "/cases/")
	if r := a.page(t, "POST", "/cases/"+w.objs.Case+"/comments", url.Values{"comment": {comment}}); r.status != http.StatusSeeOther {
		t.Fatalf("A comments = %d %s", r.status, snippet(r.body))
	}
	if r := a.upload(t, "/cases/"+w.objs.Case+"/documents", onePixelPNG(t)); r.status != http.StatusSeeOther {
		t.Fatalf("A uploads a photo = %d %s", r.status, snippet(r.body))
	}
	if r := a.page(t, "POST", "/leave/requests", url.Values{"from": {"2026-12-14"}, "to": {"2026-12-15"}, "reason": {reason}}); r.status != http.StatusSeeOther {
		t.Fatalf("A requests leave = %d %s", r.status, snippet(r.body))
	}
	if r := a.page(t, "POST", "/care/recuperation/"+session+"/book", nil); r.status != http.StatusSeeOther {
		t.Fatalf("A books a stay = %d %s", r.status, snippet(r.body))
	}
	if r := a.page(t, "POST", "/care/health-checks/"+slot+"/book", nil); r.status != http.StatusSeeOther {
		t.Fatalf("A books a health check = %d %s", r.status, snippet(r.body))
	}
	// Grant applications through the apply form: one the service finds
	// ineligible (income above the line), which stays a draft with its
	// uploaded file, and one submitted.
	a.multipart(t, "/grants/apply", url.Values{"program_id": {s.program}, "requested_amount": {"3000"}, "income_per_capita": {"3000"}},
		map[string][]byte{"file-0": onePixelPNG(t)})
	r = a.multipart(t, "/grants/apply", url.Values{"program_id": {s.program}, "requested_amount": {"3000"}, "income_per_capita": {"1500"},
		"doc": {"家庭收入证明"}, "documents": {"家庭收入证明"}}, nil)
	if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || !strings.HasSuffix(loc, "?m=submitted") {
		t.Fatalf("A applies for a grant = %d %s %s", r.status, loc, snippet(r.body))
	}
	mine, _ := a.read(t, "/api/v1/grants/applications?scope=mine")
	for _, it := range mine["items"].([]any) {
		app := it.(map[string]any)
		switch app["state"] {
		case "draft":
			w.objs.Draft = app["id"].(string)
		case "submitted":
			w.objs.Submitted = app["id"].(string)
		}
	}
	if w.objs.Draft == "" || w.objs.Submitted == "" {
		t.Fatalf("A's applications %v, want a draft and a submitted one", mine["items"])
	}
	w.objs.Member = s.member

	w.openCare(t, cw)

	// Injury asks enrollment for the case's coverage after it opens, and
	// the answer changes the case. Wait for exactly that answer before the
	// snapshot, or it can land between "before" and "after" and look like
	// a change made by the attempts.
	cs := waitForCoverage(t, a, w.objs.Case)
	// Read the ids and versions as A sees them.
	w.objs.CaseVersion = int64(cs["version"].(float64))
	docs, _ := a.read(t, "/api/v1/injury/cases/"+w.objs.Case+"/documents")
	if list, _ := docs["documents"].([]any); len(list) == 1 {
		w.objs.Doc = list[0].(map[string]any)["id"].(string)
	} else {
		t.Fatalf("A's case has documents %v, want the one photo", docs)
	}
	one := func(path string) (string, int64) {
		out, _ := a.read(t, path)
		items, _ := out["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("A's %s lists %d items, want 1", path, len(items))
		}
		m := items[0].(map[string]any)
		return m["id"].(string), int64(m["version"].(float64))
	}
	w.objs.Leave, w.objs.LeaveVersion = one("/api/v1/leave/requests")
	w.objs.Stay, w.objs.StayVersion = one("/api/v1/leave/recuperation/bookings")
	w.objs.Check, w.objs.CheckVersion = one("/api/v1/leave/health-checks/bookings")
	for _, app := range []struct {
		id    string
		v     *int64
		state string
	}{{w.objs.Draft, &w.objs.DraftV, "draft"}, {w.objs.Submitted, &w.objs.SubmittedV, "submitted"}} {
		out, _ := a.read(t, "/api/v1/grants/applications/"+app.id)
		if out["state"] != app.state {
			t.Fatalf("A's application %s is %v, want %s", app.id, out["state"], app.state)
		}
		*app.v = int64(out["version"].(float64))
		if n, _ := out["number"].(string); n != "" {
			w.secrets = append(w.secrets, n)
		}
		if files, _ := out["files"].([]any); app.state == "draft" && len(files) == 1 {
			w.objs.GrantDoc = files[0].(map[string]any)["id"].(string)
		}
	}
	if w.objs.GrantDoc == "" {
		t.Fatal("A's draft has no uploaded file: the apply form did not upload file-0")
	}
	w.secrets = append(w.secrets, place, description, comment, reason, cs["number"].(string))
	w.snapshot = w.readAll(t)
	return w
}

// objectReads are A's API reads of each object, compared before and
// after the attempts.
func (w *accessWorld) objectReads() []string {
	o := w.objs
	return []string{
		"/api/v1/injury/cases/" + o.Case, "/api/v1/injury/cases/" + o.Case + "/timeline", "/api/v1/injury/cases/" + o.Case + "/documents",
		"/api/v1/leave/requests/" + o.Leave, "/api/v1/leave/members/" + o.Member + "/balance",
		"/api/v1/leave/recuperation/bookings/" + o.Stay, "/api/v1/leave/health-checks/bookings/" + o.Check,
		"/api/v1/grants/applications/" + o.Draft, "/api/v1/grants/applications/" + o.Submitted,
	}
}

func (w *accessWorld) readAll(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range w.objectReads() {
		_, body := w.a.read(t, p)
		out[p] = body
	}
	return out
}

// TestOtherOfficersObjectsAnswer404 is the table of accessAttempts, each
// sent by officer B and by the family member of another officer, against
// A's object and against one that does not exist: both must get the
// row's status (404: the 404 page or a not_found problem), and nothing of
// A's may show. Afterwards A's objects read exactly as before.
func TestOtherOfficersObjectsAnswer404(t *testing.T) {
	w := buildAccessWorld(t)
	b := accessSignIn(t, w.s.gateway, "officerb")
	family := accessSignIn(t, w.s.gateway, "widow")
	png := onePixelPNG(t)
	ghost := w.objs.ghost()
	notFoundPage, forbiddenPage := i18n.T(i18n.ZH, "web.error.404"), i18n.T(i18n.ZH, "web.error.403")

	send := func(t *testing.T, u *accessUser, row accessAttempt, o accessObjects) accessReply {
		t.Helper()
		path := row.path(o)
		switch {
		case row.page && row.upload:
			return u.upload(t, path, png)
		case row.page:
			var form url.Values
			if row.form != nil {
				form = row.form(o)
			}
			return u.page(t, row.method, path, form)
		}
		var body any
		if row.body != nil {
			body = row.body(o)
		}
		var headers []string
		if row.match != nil {
			headers = []string{"If-Match", fmt.Sprintf(`"%d"`, row.match(o))}
		}
		return u.api(t, row.method, path, body, headers...)
	}
	problemCode := func(r accessReply) string {
		var p struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal([]byte(r.body), &p)
		return p.Code
	}

	for _, row := range accessAttempts(w.memberB, png) {
		for _, who := range []struct {
			label string
			u     *accessUser
			want  int
		}{{"officer B", b, row.officer}, {"family of another officer", family, row.family}} {
			if who.want == 0 {
				continue
			}
			t.Run(row.name+"/"+who.label, func(t *testing.T) {
				got := send(t, who.u, row, w.objs)
				missing := send(t, who.u, row, ghost)
				what := row.method + " " + row.path(w.objs)
				if got.status != who.want {
					t.Errorf("%s %s = %d, want %d: %s", who.label, what, got.status, who.want, accessExcerpt(got))
				}
				if got.status != missing.status {
					t.Errorf("%s %s = %d, but %d for an object that does not exist: the answer tells A's object exists",
						who.label, what, got.status, missing.status)
				}
				for _, secret := range w.secrets {
					if strings.Contains(got.body, secret) {
						t.Errorf("%s %s shows A's %q", who.label, what, secret)
					}
				}
				if row.page {
					msg := notFoundPage
					if who.want == http.StatusForbidden {
						msg = forbiddenPage
					}
					if !strings.Contains(got.body, msg) {
						t.Errorf("%s %s: not the %d page: %s", who.label, what, who.want, accessExcerpt(got))
					}
					return
				}
				if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("%s %s answered %q, want problem+json", who.label, what, ct)
				}
				wantCode := "not_found"
				if who.want == http.StatusForbidden {
					wantCode = "forbidden"
				}
				if got := problemCode(got); got != wantCode || problemCode(missing) != got {
					t.Errorf("%s %s: problem code %q (%q for a missing object), want %q", who.label, what, got, problemCode(missing), wantCode)
				}
			})
		}
	}

	// A's own family member may follow A's matters, but a change that is
	// A's alone to make is refused.
	ownFamily := accessSignIn(t, w.s.gateway, "family")
	for _, row := range accessAttempts(w.memberB, png) {
		if row.ownFamily == 0 {
			continue
		}
		t.Run(row.name+"/A's own family member", func(t *testing.T) {
			r := send(t, ownFamily, row, w.objs)
			if r.status != row.ownFamily && r.status != http.StatusNotFound {
				t.Errorf("A's family %s %s = %d, want %d (or 404): %s", row.method, row.path(w.objs), r.status, row.ownFamily, accessExcerpt(r))
			}
		})
	}

	// The lists B and the family member see hold nothing of A's.
	ids := []string{w.objs.Case, w.objs.Doc, w.objs.Leave, w.objs.Stay, w.objs.Check, w.objs.Draft, w.objs.Submitted, w.objs.GrantDoc}
	for _, l := range []struct {
		who  *accessUser
		path string
		page bool
	}{
		{b, "/my", true}, {b, "/grants", true}, {b, "/leave", true}, {b, "/care", true},
		{family, "/my", true}, {family, "/grants", true},
		{b, "/api/v1/injury/cases", false}, {b, "/api/v1/leave/requests", false}, {b, "/api/v1/leave/recuperation/bookings", false},
		{b, "/api/v1/leave/health-checks/bookings", false}, {b, "/api/v1/grants/applications", false},
		{b, "/api/v1/grants/applications?scope=mine", false}, {b, "/api/v1/enrollment/members", false},
		{b, "/api/v1/leave/members/" + w.objs.Member + "/balance?year=2026", false},
		{family, "/api/v1/injury/cases", false}, {family, "/api/v1/grants/applications", false},
		{family, "/api/v1/leave/requests", false}, {family, "/api/v1/leave/recuperation/bookings", false},
		{family, "/api/v1/leave/health-checks/bookings", false},
	} {
		t.Run("list "+l.path+"/"+l.who.name, func(t *testing.T) {
			r := l.who.page(t, http.MethodGet, l.path, nil)
			if r.status != http.StatusOK && r.status != http.StatusForbidden && r.status != http.StatusNotFound {
				t.Errorf("%s GET %s = %d: %s", l.who.name, l.path, r.status, accessExcerpt(r))
			}
			for _, s := range append(append([]string{}, ids...), w.secrets...) {
				if strings.Contains(r.body, s) {
					t.Errorf("%s GET %s shows A's %q", l.who.name, l.path, s)
				}
			}
		})
	}

	t.Run("A's objects are unchanged and still A's", func(t *testing.T) {
		after := w.readAll(t)
		for _, p := range w.objectReads() {
			if after[p] != w.snapshot[p] {
				t.Errorf("A's %s changed:\nbefore %s\nafter  %s", p, w.snapshot[p], after[p])
			}
		}
		for _, p := range []string{"/cases/" + w.objs.Case, "/grants/applications/" + w.objs.Draft, "/grants/applications/" + w.objs.Submitted} {
			if r := w.a.page(t, http.MethodGet, p, nil); r.status != http.StatusOK {
				t.Errorf("A GET %s = %d after the attempts: %s", p, r.status, accessExcerpt(r))
			}
		}
	})
}
