package gateway_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// TestMemberRegistryPagesAgainstRealServices walks the caseworker's member
// registry forms against the real enrollment service behind the real
// gateway, with a plain HTTP client as a browser without JavaScript: a
// refused registration keeps what was typed, then a member is registered,
// edited, given a dependant and recorded as fallen in the line of duty
// (with the confirmation step), and the member page shows it all.
func TestMemberRegistryPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	cw := journeySignIn(t, s.gateway, "caseworker")

	st, body := cw.get("/work/members/new")
	if st != http.StatusOK || !strings.Contains(body, `<option value="`+s.unit+`">县委政法委 / 县公安局</option>`) {
		t.Fatalf("register form = %d %s", st, snippet(body))
	}
	form := url.Values{"name": {"赵刚"}, "id_number": {"110105199004050"}, "category": {"police"}, "unit_id": {s.unit},
		"frontline": {"1"}, "phone": {"13800138001"}, "hire_date": {"2012-07-01"}}
	st, _, body = cw.post("/work/members", form)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="id_number-error"`) ||
		!strings.Contains(body, `value="110105199004050"`) || !strings.Contains(body, `value="赵刚"`) {
		t.Fatalf("registration with a short id number = %d %s", st, snippet(body))
	}
	idNumber := idcard.Generate("110105", time.Date(1990, 4, 5, 0, 0, 0, 0, time.UTC), 31, true)
	form.Set("id_number", idNumber)
	st, loc, body := cw.post("/work/members", form)
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/work/members/") || !strings.HasSuffix(loc, "?m=registered") {
		t.Fatalf("registration = %d %s %s", st, loc, snippet(body))
	}
	member := strings.TrimSuffix(loc, "?m=registered")
	cw.page(t, loc, "赵刚", idcard.Mask(idNumber), "县公安局", `id="coverage"`, "未参保")

	// Edit the phone; the identity number stays as stored.
	body = cw.page(t, member+"/edit", `value="13800138001"`)
	form.Set("id_number", "")
	form.Set("phone", "13900139001")
	form.Set("version", pageVersionOf(t, body))
	if st, loc, body := cw.post(member, form); st != http.StatusSeeOther || loc != member+"?m=saved" {
		t.Fatalf("edit = %d %s %s", st, loc, snippet(body))
	}
	body = cw.page(t, member+"?m=saved", "13900139001", idcard.Mask(idNumber))

	spouse := idcard.Generate("110105", time.Date(1991, 6, 7, 0, 0, 0, 0, time.UTC), 32, false)
	dep := url.Values{"version": {pageVersionOf(t, body)}, "relation": {"spouse"}, "dep_name": {"孙丽"}, "dep_id_number": {spouse}}
	if st, loc, body := cw.post(member+"/dependants", dep); st != http.StatusSeeOther || loc != member+"?m=dependant_added" {
		t.Fatalf("add dependant = %d %s %s", st, loc, snippet(body))
	}
	body = cw.page(t, member+"?m=dependant_added", "孙丽", "配偶", idcard.Mask(spouse))

	death := url.Values{"version": {pageVersionOf(t, body)}, "death_date": {"2026-11-20"}, "death_cause": {"line_of_duty"}}
	st, _, body = cw.post(member+"/death", death)
	if st != http.StatusOK || !strings.Contains(body, "将登记 赵刚 于 2026-11-20 死亡，原因：因公牺牲。") {
		t.Fatalf("death confirmation = %d %s", st, snippet(body))
	}
	death.Set("confirm", "1")
	if st, loc, body := cw.post(member+"/death", death); st != http.StatusSeeOther || loc != member+"?m=death" {
		t.Fatalf("record death = %d %s %s", st, loc, snippet(body))
	}
	cw.page(t, member+"?m=death", `id="member-status">已故`, `id="death-cause">因公牺牲`, "2026-11-20", "孙丽")

	// The registry holds what the pages showed.
	admin := auth.Identity{UserID: "u-check", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	got := s.call(t, admin, "GET", "/api/v1/enrollment"+strings.TrimPrefix(member, "/work"), nil, http.StatusOK)
	deps, _ := got["dependants"].([]any)
	if got["status"] != "deceased" || got["death_cause"] != "line_of_duty" || got["phone"] != "13900139001" || len(deps) != 1 {
		t.Errorf("registry has %v", got)
	}
}

// page gets p, which must answer 200 with every wanted text.
func (cl *client) page(t *testing.T, p string, wants ...string) string {
	t.Helper()
	st, body := cl.get(p)
	if st != http.StatusOK {
		t.Fatalf("GET %s = %d %s", p, st, snippet(body))
	}
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("GET %s lacks %q: %s", p, w, snippet(body))
		}
	}
	return body
}

var versionField = regexp.MustCompile(`name="version" value="(\d+)"`)

// pageVersionOf is the member version a page's forms carry.
func pageVersionOf(t *testing.T, body string) string {
	t.Helper()
	m := versionField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version on the page: %s", snippet(body))
	}
	return m[1]
}
