package gateway_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestInjuryPagesNamePeopleAgainstRealServices reports injuries through
// the pages in front of the real enrollment and injury services: the
// officer reports without choosing a unit (enrollment's record of them
// gives it) and the case names them and their unit; the caseworker finds
// a member by name among their units and reports for them.
func TestInjuryPagesNamePeopleAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	st, form := officer.get("/injury/report")
	if st != http.StatusOK {
		t.Fatalf("officer's report form = %d %s", st, snippet(form))
	}
	// the form's own "now", on the system's clock
	m := regexp.MustCompile(`name="injured_at" type="datetime-local"[^>]*value="([^"]+)"`).FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the form has no time of injury: %s", snippet(form))
	}
	injuredAt := m[1]
	for _, want := range []string{`id="member-name">张伟<`, `id="unit-name">县公安局<`} {
		if !strings.Contains(form, want) {
			t.Errorf("officer's form lacks %q: %s", want, snippet(form))
		}
	}
	if strings.Contains(form, `name="unit_id"`) || strings.Contains(form, `name="member_id"`) {
		t.Errorf("the officer is asked for a unit or a member: %s", snippet(form))
	}
	st, loc, body := officer.post("/injury/report", url.Values{"severity": {"serious"}, "injured_at": {injuredAt},
		"place": {"城关派出所门口"}, "description": {"巡逻时摔伤右腿"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("officer's report = %d %s %s", st, loc, snippet(body))
	}
	st, page := officer.get(loc)
	if st != http.StatusOK || !strings.Contains(page, `id="case-member">张伟<`) || !strings.Contains(page, `id="case-unit">县公安局<`) {
		t.Errorf("officer's case = %d, does not name the officer and the unit: %s", st, snippet(page))
	}

	cw := journeySignIn(t, s.gateway, "caseworker")
	st, found := cw.get("/injury/report?q=" + url.QueryEscape("王"))
	if st != http.StatusOK || !strings.Contains(found, `id="member_id-`+s.fallen+`"`) || !strings.Contains(found, "王强 · 县公安局") {
		t.Fatalf("caseworker's search = %d: %s", st, snippet(found))
	}
	if strings.Contains(found, "张伟") {
		t.Errorf("a search for 王 lists 张伟: %s", snippet(found))
	}
	st, loc, body = cw.post("/injury/report", url.Values{"q": {"王"}, "member_id": {s.fallen}, "severity": {"critical"},
		"injured_at": {injuredAt}, "place": {"东城路口"}, "description": {"处警时被车辆撞伤"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("caseworker's report = %d %s %s", st, loc, snippet(body))
	}
	st, page = cw.get(loc)
	if st != http.StatusOK || !strings.Contains(page, `id="case-member">王强<`) || !strings.Contains(page, `id="case-unit">县公安局<`) {
		t.Errorf("caseworker's case = %d, does not name 王强 and the unit: %s", st, snippet(page))
	}
	st, queue := cw.get("/work/queue")
	if st != http.StatusOK || !strings.Contains(queue, "<td>王强</td>") || !strings.Contains(queue, "<td>张伟</td>") {
		t.Errorf("queue = %d, does not name the injured: %s", st, snippet(queue))
	}
}
