package gateway_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// grantsWalk follows a page's "next page" link (id="<list>-next") from path
// to the last page and returns, per page, the ids idRe finds in the list's
// part of the page (from marker on). It fails when a later page lacks the
// "first page" link.
func grantsWalk(t *testing.T, u *grantsUser, path, list string, idRe *regexp.Regexp, marker string) [][]string {
	t.Helper()
	var pages [][]string
	nextRe := regexp.MustCompile(`id="` + list + `-next" href="([^"]+)"`)
	for {
		if len(pages) > 10 {
			t.Fatalf("%s: the next page never ends", list)
		}
		r := u.get(path)
		if r.status != http.StatusOK || !strings.Contains(r.body, marker) {
			t.Fatalf("%s = %d: %s", path, r.status, snippet(r.body))
		}
		var ids []string
		for _, m := range idRe.FindAllStringSubmatch(r.body[strings.Index(r.body, marker):], -1) {
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

// grantsEveryOnce fails unless pages hold every id of want once.
func grantsEveryOnce(t *testing.T, name string, pages [][]string, want []string) {
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
		t.Errorf("%s: %d shown, want %d", name, len(seen), len(want))
	}
}

// TestGrantListsPagesAgainstRealServices: 23 applications awaiting the
// committee are more than a page of the approvals page's grant list (20):
// its next-page link shows the other 3, none twice. 51 open notices are
// more than a page of the notices queue (50): the next page shows the last,
// and a notice of the second page can still be dismissed (the form finds
// it beyond the first page).
func TestGrantListsPagesAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	seed := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	reviewer := auth.Identity{UserID: "u-seed-cw2", Name: "李强", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	var numbers []string
	for range 23 {
		a := s.call(t, seed, "POST", "/api/v1/grants/applications", map[string]any{"program_id": s.program, "member_id": s.member,
			"unit_id": s.unit, "applicant_user_id": "u-paper-applicant", "requested_amount": 100000,
			"form": map[string]any{"income_per_capita": 150000}, "documents": []string{"家庭收入证明"}}, 201)
		id := a["id"].(string)
		v := s.call(t, seed, "POST", "/api/v1/grants/applications/"+id+"/submit", map[string]any{}, 200, "If-Match", `"`+strconv.Itoa(int(a["version"].(float64)))+`"`)
		s.call(t, reviewer, "POST", "/api/v1/grants/applications/"+id+"/review", map[string]any{}, 200, "If-Match", `"`+strconv.Itoa(int(v["version"].(float64)))+`"`)
		numbers = append(numbers, a["number"].(string))
	}
	ap := grantsSignIn(t, s.gateway, "approver1")
	grants := grantsWalk(t, ap, "/approvals", "grant-approvals", regexp.MustCompile(`id="review-(GA-[0-9-]+)"`), `id="grant-approvals"`)
	if len(grants) != 2 || len(grants[0]) != 20 {
		t.Errorf("grant pages: %d, first of %d rows; want 2, 20", len(grants), len(grants[0]))
	}
	grantsEveryOnce(t, "grant approvals", grants, numbers)

	// 51 officers die on duty, each leaving a spouse: a notice each.
	for i := range 51 {
		born := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		m := s.call(t, seed, "POST", "/api/v1/enrollment/members", map[string]any{
			"unit_id": s.unit, "name": fmt.Sprintf("干警%02d", i), "category": "police",
			"id_number": idcard.Generate("110105", born, 100+i, true), "hire_date": "2000-07-01",
		}, 201)["id"].(string)
		s.call(t, seed, "POST", "/api/v1/enrollment/members/"+m+"/dependants", map[string]any{
			"relation": "spouse", "name": fmt.Sprintf("家属%02d", i), "id_number": idcard.Generate("110105", born, 300+i, false),
		}, 200, "If-Match", `"1"`)
		s.call(t, seed, "POST", "/api/v1/enrollment/members/"+m+"/death", map[string]any{"date": "2026-11-20", "cause": "line_of_duty"}, 200, "If-Match", `"2"`)
	}
	var want []string
	apptest.Eventually(t, 60*time.Second, "the 51 deaths reached grants as notices", func() bool {
		w := s.env.Do(t, s.h["grants"], &seed, "GET", "/api/v1/grants/notices?limit=500", nil)
		var out struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		_ = json.Unmarshal(w.Body.Bytes(), &out)
		want = want[:0]
		for _, n := range out.Items {
			want = append(want, n.ID)
		}
		return w.Code == http.StatusOK && len(want) == 51
	})
	cw := grantsSignIn(t, s.gateway, "caseworker")
	pages := grantsWalk(t, cw, "/work/notices", "notices", regexp.MustCompile(`action="/work/notices/([^"/]+)/dismiss"`), `id="notices"`)
	if len(pages) != 2 || len(pages[0]) != 50 {
		t.Errorf("notice pages: %d, first of %d rows; want 2, 50", len(pages), len(pages[0]))
	}
	grantsEveryOnce(t, "notices", pages, want)
	if len(pages) < 2 || len(pages[1]) == 0 {
		t.Fatal("no second page of notices")
	}
	last := pages[1][0]
	r := cw.post("/work/notices/"+last+"/dismiss", cw.token("/work/notices"), url.Values{"reason": {"已另行处理"}}, nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("dismissing a notice of the second page = %d: %s", r.status, snippet(r.body))
	}
	w := s.env.Do(t, s.h["grants"], &seed, "GET", "/api/v1/grants/notices?state=dismissed", nil)
	if !strings.Contains(w.Body.String(), `"id":"`+last+`"`) {
		t.Errorf("the notice of the second page was not dismissed: %s", w.Body)
	}
}
