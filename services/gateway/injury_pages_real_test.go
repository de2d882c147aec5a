package gateway_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
)

// TestInjuryPagesNamePeopleAgainstRealServices reports injuries through
// the pages in front of the real enrollment and injury services: the
// officer reports without choosing a unit (enrollment's record of them
// gives it) and the case names them and their unit; the caseworker finds
// a member by name among their units and reports for them, takes the case
// to a grading and records the appeal against it through the case page;
// a unit head's queue names the injured.
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
	if !strings.Contains(queue, `id="report-injury" href="/injury/report"`) {
		t.Errorf("the caseworker's queue offers no report button: %s", snippet(queue))
	}

	// The caseworker takes 王强's case to a first grading through the
	// page, then records the appeal against it: the case shows the
	// provincial round under way, the grade it concerns and the appeal.
	casePath := strings.TrimSuffix(loc, "?m=reported")
	today := injuredAt[:len("2006-01-02")]
	for _, step := range []struct {
		action string
		form   url.Values
	}{
		{"confirm_handoff", url.Values{"hospital": {"县人民医院"}}},
		{"file_determination", url.Values{"filed_on": {today}}},
		{"accept_filing", url.Values{"accepted_on": {today}, "clear_facts": {"1"}}},
		{"decide", url.Values{"decided_on": {today}, "outcome": {"recognised"}, "clause": {"1"}}},
		{"request_grading", url.Values{"applied_on": {today}}},
		{"record_grade", url.Values{"graded_on": {today}, "received_on": {""}, "grade": {"7"}, "nursing": {"none"}}},
		{"file_appeal", url.Values{"filed_on": {today}, "note": {"对伤残等级有异议"}}},
	} {
		takeStep(t, cw, casePath, step.action, step.form)
	}
	st, page = cw.get(casePath)
	for _, want := range []string{`<strong>认定为工伤</strong> · 第 14 条第 1 项`, `<strong id="case-grade">伤残 7 级</strong> · 无需护理 · ` + today + " 鉴定",
		`id="case-round">再次鉴定（省级）<`, today + " 申请，等待结论", `id="case-appeal">` + today + " 申请再次鉴定: 对伤残等级有异议<",
		"· 登记申请再次鉴定", "参保情况"} {
		if !strings.Contains(page, want) {
			t.Errorf("the appealed case lacks %q: %s", want, snippet(page))
		}
	}
	if st != http.StatusOK || strings.Contains(page, `action="`+casePath+`/actions/file_appeal"`) || strings.Contains(page, "injury.") {
		t.Errorf("the appealed case = %d, offers a second appeal or shows a raw key: %s", st, snippet(page))
	}

	// A unit head, whom enrollment shows no member record, sees the
	// names the injury service learnt from enrollment's events.
	head := journeySignIn(t, s.gateway, "unithead")
	apptest.Eventually(t, 20*time.Second, "the unit head's queue names the injured", func() bool {
		_, q := head.get("/work/queue")
		return strings.Contains(q, "<td>王强</td>") && strings.Contains(q, "<td>张伟</td>")
	})
	st, queue = head.get("/work/queue")
	if st != http.StatusOK || strings.Contains(queue, "<td>"+s.fallen+"</td>") || !strings.Contains(queue, `id="report-injury"`) {
		t.Errorf("the unit head's queue = %d: %s", st, snippet(queue))
	}
	if st, page := head.get(casePath); st != http.StatusOK || !strings.Contains(page, `id="case-member">王强<`) {
		t.Errorf("the unit head's case = %d, does not name 王强: %s", st, snippet(page))
	}
}

var versionRE = regexp.MustCompile(`name="version" value="(\d+)"`)

// takeStep posts one action's form on the case page at the version the
// page shows, as a person would, and wants it done.
func takeStep(t *testing.T, cl *client, casePath, action string, form url.Values) {
	t.Helper()
	st, page := cl.get(casePath)
	if st != http.StatusOK || !strings.Contains(page, `action="`+casePath+`/actions/`+action+`"`) {
		t.Fatalf("%s is not offered (%d): %s", action, st, snippet(page))
	}
	m := versionRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no version on the case page: %s", snippet(page))
	}
	form.Set("version", m[1])
	st, loc, body := cl.post(casePath+"/actions/"+action, form)
	if st != http.StatusSeeOther || !strings.HasSuffix(loc, "?m=done") {
		t.Fatalf("%s = %d %s: %s", action, st, loc, snippet(body))
	}
}
