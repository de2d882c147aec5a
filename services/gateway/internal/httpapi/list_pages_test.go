package httpapi_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// walkPages follows a page's "next page" link (id="<list>-next") from path
// to the last page and returns, per page, the ids the pattern idRe finds in
// the list's part of the page (from the list's marker to its pager). It
// fails when a later page lacks the "first page" link.
func walkPages(t *testing.T, b *browser, path, list string, idRe *regexp.Regexp, marker string) [][]string {
	t.Helper()
	var pages [][]string
	nextRe := regexp.MustCompile(`id="` + list + `-next" href="([^"]+)"`)
	for {
		if len(pages) > 10 {
			t.Fatalf("%s: the next page never ends", list)
		}
		r := b.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s = %d", path, r.status)
		}
		part := r.body[strings.Index(r.body, marker):]
		var ids []string
		for _, m := range idRe.FindAllStringSubmatch(part, -1) {
			ids = append(ids, m[1])
		}
		pages = append(pages, ids)
		if len(pages) > 1 && !strings.Contains(r.body, `id="`+list+`-first"`) {
			t.Errorf("%s: page %d has no link back to the first", list, len(pages))
		}
		m := nextRe.FindStringSubmatch(r.body)
		if m == nil {
			return pages
		}
		path = html.UnescapeString(m[1])
	}
}

// checkPages fails unless pages hold every id of want once.
func checkPages(t *testing.T, name string, pages [][]string, want []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range pages {
		for _, id := range p {
			if seen[id] {
				t.Errorf("%s: %s shown twice", name, id)
			}
			seen[id] = true
		}
	}
	for _, id := range want {
		if !seen[id] {
			t.Errorf("%s: %s never shown", name, id)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%s: %d shown over %d pages, want %d", name, len(seen), len(pages), len(want))
	}
}

// TestApprovalsPagesBothLists: with 25 leave requests waiting at the
// approver's step (3 more at the unit head's) and 23 applications awaiting
// the committee, the approvals page shows 20 of each and a next-page link
// per list; following each shows the rest, every row once, and a link back
// to the first page; every page says 3 wait at the other step. A cursor
// from a stale link shows the first page with a note, not an error.
func TestApprovalsPagesBothLists(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("appr1", domain.RoleApprover)
	var leaveIDs, appIDs []string
	for i := range 25 {
		// more than five working days: the unit head's approval sends it
		// to the approver's step
		q := e.request(e.member(fmt.Sprintf("干警%02d", i)), "2026-03-16", "2026-03-23")
		e.sys.Call(t, e.head(), http.MethodPost, "/api/v1/leave/requests/"+q+"/approve", map[string]any{}, http.StatusOK, "If-Match", `"1"`)
		leaveIDs = append(leaveIDs, q)
		if i < 3 { // the unit head's step: counted, not listed
			e.request(e.memberOf(q), "2026-04-01", "2026-04-01")
		}
	}
	program := e.hardshipProgram()
	member := e.member("张伟")
	reviewer := e.staff
	reviewer.UserID, reviewer.Name = "u-seed-cw2", "李强"
	for range 23 {
		a := e.sys.Call(t, e.staff, http.MethodPost, "/api/v1/grants/applications", map[string]any{"program_id": program, "member_id": member,
			"unit_id": e.unit, "applicant_user_id": "u-paper-applicant", "requested_amount": 100000,
			"form": map[string]any{"income_per_capita": 150000}, "documents": []string{"家庭收入证明"}}, http.StatusCreated)
		id := a["id"].(string)
		v := e.sys.Call(t, e.staff, http.MethodPost, "/api/v1/grants/applications/"+id+"/submit", map[string]any{}, http.StatusOK, "If-Match", fmt.Sprintf(`"%v"`, a["version"]))
		e.sys.Call(t, reviewer, http.MethodPost, "/api/v1/grants/applications/"+id+"/review", map[string]any{}, http.StatusOK, "If-Match", fmt.Sprintf(`"%v"`, v["version"]))
		appIDs = append(appIDs, a["number"].(string))
	}
	b := e.browser()
	b.signIn("appr1")

	leave := walkPages(t, b, "/approvals", "leave-approvals", regexp.MustCompile(`<li id="approval-([^"]+)"`), `id="leave-approvals"`)
	if len(leave) != 2 || len(leave[0]) != 20 {
		t.Errorf("leave pages: %d, first of %d rows; want 2, 20", len(leave), len(leave[0]))
	}
	checkPages(t, "leave approvals", leave, leaveIDs)
	if p := b.get("/approvals"); !strings.Contains(p.body, "另有 3 项申请在其他审批环节") {
		t.Error("the approvals page does not count the requests at the unit head's step")
	}

	grants := walkPages(t, b, "/approvals", "grant-approvals", regexp.MustCompile(`id="review-(GA-[0-9-]+)"`), `id="grant-approvals"`)
	if len(grants) != 2 || len(grants[0]) != 20 {
		t.Errorf("grant pages: %d, first of %d rows; want 2, 20", len(grants), len(grants[0]))
	}
	checkPages(t, "grant approvals", grants, appIDs)

	stale := b.get("/approvals?leave_after=not-a-cursor")
	if stale.status != http.StatusOK || !strings.Contains(stale.body, "该页链接已失效") || strings.Count(stale.body, `<li id="approval-`) != 20 {
		t.Errorf("a stale cursor = %d, want the first page with a note", stale.status)
	}
}

// TestUsersAPIPages walks GET /api/v1/gateway/users three at a time, by
// username: every user once, in order; a cursor not of ours is a 422.
func TestUsersAPIPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	want := []string{"admin1"}
	for i := range 7 {
		name := fmt.Sprintf("user%02d", i)
		e.user(name, domain.RoleOfficer)
		want = append(want, name)
	}
	b := e.browser()
	b.signIn("admin1")
	var got []string
	path := "/api/v1/gateway/users?limit=3"
	for pages := 1; ; pages++ {
		if pages > 10 {
			t.Fatal("the users' cursor never ends")
		}
		r := b.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s = %d %s", path, r.status, r.body)
		}
		var p struct {
			Items []struct {
				Username string `json:"username"`
			} `json:"items"`
			Next string `json:"next"`
		}
		if err := json.Unmarshal([]byte(r.body), &p); err != nil {
			t.Fatal(err)
		}
		for _, u := range p.Items {
			got = append(got, u.Username)
		}
		if p.Next == "" {
			if pages < 3 {
				t.Errorf("%d pages of 3 for %d users", pages, len(want))
			}
			break
		}
		path = "/api/v1/gateway/users?limit=3&after=" + url.QueryEscape(p.Next)
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("users over the pages: %v, want %v", got, want)
	}
	if r := b.get("/api/v1/gateway/users?after=xyz"); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a bad cursor = %d", r.status)
	}
}

// TestOfficerLeaveRequestPages: an officer with 55 requests sees 50 on
// /leave and the rest behind its next-page link, none twice.
func TestOfficerLeaveRequestPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	officer := e.user("officer1", domain.RoleOfficer)
	var want []string
	for range 55 {
		// each rejected before the next, so the balance holds none of them
		q := e.request(officer.MemberID, "2026-03-02", "2026-03-02")
		e.sys.Call(t, e.head(), http.MethodPost, "/api/v1/leave/requests/"+q+"/reject", map[string]any{"comment": "人手不足"}, http.StatusOK, "If-Match", `"1"`)
		want = append(want, q)
	}
	b := e.browser()
	b.signIn("officer1")
	pages := walkPages(t, b, "/leave", "requests", regexp.MustCompile(`<li id="request-([^"]+)"`), `id="requests"`)
	if len(pages) != 2 || len(pages[0]) != 50 {
		t.Errorf("request pages: %d, first of %d rows; want 2, 50", len(pages), len(pages[0]))
	}
	checkPages(t, "the officer's requests", pages, want)
}

// request asks the real leave service for member's leave from from to to,
// as the member, and returns the request's id.
func (e *env) request(member, from, to string) string {
	e.t.Helper()
	officer := auth.Identity{UserID: "u-" + member, MemberID: member, Name: "干警", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{e.unit}}
	q := e.sys.Call(e.t, officer, http.MethodPost, "/api/v1/leave/requests", map[string]any{"from": from, "to": to}, http.StatusCreated)
	e.requesters[q["id"].(string)] = member
	return q["id"].(string)
}

// memberOf is the member who asked for request q (made with e.request).
func (e *env) memberOf(q string) string { return e.requesters[q] }

// head is the unit head of e.unit, for deciding requests in the real
// leave service.
func (e *env) head() auth.Identity {
	return auth.Identity{UserID: "u-seed-head", Name: "刘所长", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{e.unit}}
}

// hardshipProgram sets up a 2026 fund in the real grants service with a
// hardship programme needing a family income statement, and returns the
// programme's id.
func (e *env) hardshipProgram() string {
	e.t.Helper()
	admin := auth.Identity{UserID: "u-seed-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}, Units: []string{e.unit}}
	fund := e.sys.Call(e.t, admin, http.MethodPost, "/api/v1/grants/funds", map[string]any{"fiscal_year": 2026, "name": "2026年度政法干警关爱帮扶资金", "appropriation": 300000000}, http.StatusCreated)["id"].(string)
	return e.sys.Call(e.t, admin, http.MethodPost, "/api/v1/grants/programs", map[string]any{
		"fund_id": fund, "code": "hardship", "name_zh": "困难干警帮扶", "name_en": "Officers in hardship", "kind": "hardship",
		"allocation": 80000000, "eligibility": map[string]any{"max_income_per_capita": 250000},
		"amount_rule": map[string]any{"kind": "assessed", "cap": 2000000}, "required_documents": []string{"家庭收入证明"},
		"dual_approval_above": 1000000,
	}, http.StatusCreated)["id"].(string)
}
