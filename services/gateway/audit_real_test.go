package gateway_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestAuditorFindsACaseByNumberAgainstRealServices: an officer reports an
// injury and comments on it; the auditor reads the injury trail with the
// case shown by its number (not its id), the enrollment trail with members
// by name, and finds every row of the case, the comment included, by
// typing the number.
func TestAuditorFindsACaseByNumberAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	officer := journeySignIn(t, s.gateway, "officer")
	st, loc, page := officer.post("/injury/report", url.Values{"unit_id": {s.unit}, "severity": {"minor"},
		"injured_at": {"2026-11-27T09:30"}, "place": {"城关派出所门口"}, "description": {"巡逻时扭伤脚踝"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("report = %d %s %s", st, loc, snippet(page))
	}
	casePath := strings.SplitN(loc, "?", 2)[0]
	if st, _, page := officer.post(casePath+"/comments", url.Values{"comment": {"已去医院"}}); st != http.StatusSeeOther {
		t.Fatalf("comment = %d %s", st, snippet(page))
	}
	_, body := officer.get(casePath)
	number := regexp.MustCompile(`GC-2026-\d{6}`).FindString(body)
	if number == "" {
		t.Fatalf("no case number on %s", snippet(body))
	}

	auditor := journeySignIn(t, s.gateway, "auditor")
	caseID := strings.TrimPrefix(casePath, "/cases/")
	st, trail := auditor.get("/audit?service=injury")
	if st != http.StatusOK || !strings.Contains(trail, "<strong>"+number+"</strong>") || strings.Contains(trail, ">"+caseID+"<") {
		t.Fatalf("injury trail = %d %s", st, snippet(trail))
	}
	if st, trail := auditor.get("/audit?service=enrollment"); st != http.StatusOK || !strings.Contains(trail, "<strong>张伟</strong>") ||
		strings.Contains(trail, ">"+s.member+"<") {
		t.Errorf("enrollment trail = %d, members not named: %s", st, snippet(trail))
	}
	st, found := auditor.get("/audit?service=injury&object_id=" + strings.ToLower(number))
	rows := regexp.MustCompile(`<td class="num">`).FindAllString(found, -1)
	if st != http.StatusOK || len(rows) < 2 || !strings.Contains(found, `<td class="action">案件留言</td>`) ||
		!strings.Contains(found, `<td class="action">报告工伤</td>`) || strings.Count(found, "<strong>"+number+"</strong>") != len(rows) {
		t.Errorf("the case's rows by number = %d, %d rows: %s", st, len(rows), snippet(found))
	}
}
