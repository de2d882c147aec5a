package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// TestCarePagesAgainstRealServices walks the leave area's care pages
// (pages/leave: /care, the quotas page, compliance) against the real leave
// service, where they used to run against a fake one: what a page shows is
// what the service answered through the generated client. The fake clock
// stands at 2026-11-27; the unit has no recuperation places, so a stay
// requested waits for one.
func TestCarePagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	facility := s.call(t, admin, "POST", "/api/v1/leave/recuperation/facilities", map[string]any{"name": "县疗养院", "location": "温泉镇"}, 201)["id"].(string)
	session := s.call(t, admin, "POST", "/api/v1/leave/recuperation/facilities/"+facility+"/sessions",
		map[string]any{"from": "2026-12-07", "to": "2026-12-11", "capacity": 5}, 201)["id"].(string)
	round := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": s.unit, "year": 2026, "opens": "2026-01-01", "closes": "2026-12-31"}, 201)["id"].(string)
	full := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds/"+round+"/slots", map[string]any{"starts_at": "2026-12-02T01:00:00Z", "capacity": 1}, 201)["id"].(string)
	open := s.call(t, cw, "POST", "/api/v1/leave/health-checks/rounds/"+round+"/slots", map[string]any{"starts_at": "2026-12-03T01:00:00Z", "capacity": 5,
		"place": "县人民医院体检中心三楼", "notes": "空腹，带身份证"}, 201)["id"].(string)

	// Another officer of the unit takes the one place of the first slot.
	other := s.call(t, cw, "POST", "/api/v1/enrollment/members", map[string]any{
		"unit_id": s.unit, "name": "李强", "category": "police",
		"id_number": idcard.Generate("110105", time.Date(1990, 6, 7, 0, 0, 0, 0, time.UTC), 41, true), "hire_date": "2015-07-01",
	}, 201)["id"].(string)
	apptest.Eventually(t, 20*time.Second, "the second officer reached leave", func() bool {
		return s.env.Do(t, s.h["leave"], &cw, "GET", "/api/v1/leave/members/"+other+"/balance?year=2026", nil).Code == http.StatusOK
	})
	otherOfficer := auth.Identity{UserID: "u-other", MemberID: other, Name: "李强", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{s.unit}}
	othersCheck := s.call(t, otherOfficer, "POST", "/api/v1/leave/health-checks/slots/"+full+"/bookings", map[string]any{}, 201)["id"].(string)

	officer := journeySignIn(t, s.gateway, "officer")
	_, care := officer.get("/care")
	if strings.Contains(care, "/care/health-checks/"+full+"/book") || !strings.Contains(care, "/care/health-checks/"+open+"/book") {
		t.Errorf("a full slot offers booking, or an open one does not: %s", snippet(care))
	}
	if slot := between(care, `id="slot-`+open+`"`, "</li>"); !strings.Contains(slot, "地点：县人民医院体检中心三楼") || !strings.Contains(slot, "准备事项：空腹，带身份证") {
		t.Errorf("the open slot lacks its place or notes: %s", snippet(slot))
	}
	if !strings.Contains(care, "县疗养院") || !strings.Contains(care, "/care/recuperation/"+session+"/book") {
		t.Errorf("/care does not offer the stay: %s", snippet(care))
	}

	book := "/care/recuperation/" + session + "/book"
	if st, loc, body := officer.post(book, url.Values{}); st != http.StatusSeeOther || loc != "/care?m=booked" {
		t.Fatalf("request the stay = %d %s %s", st, loc, snippet(body))
	}
	if st, _, body := officer.post(book, url.Values{}); st != http.StatusConflict || !strings.Contains(body, "error-flash") {
		t.Errorf("the stay requested twice = %d %s", st, snippet(body))
	}
	if st, loc, body := officer.post("/care/health-checks/"+open+"/book", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("book the check = %d %s %s", st, loc, snippet(body))
	}
	_, care = officer.get("/care?m=booked")
	stay := between(care, `id="my-stays"`, "</ul>")
	for _, want := range []string{i18n.T(i18n.ZH, "web.care.stay_status.waitlisted"), "县疗养院", "温泉镇", "2026-12-07 – 2026-12-11",
		i18n.T(i18n.ZH, "web.officer.care.wait.quota_exhausted")} {
		if !strings.Contains(stay, want) {
			t.Errorf("the waitlisted stay lacks %q: %s", want, snippet(stay))
		}
	}
	if sessions := between(care, `id="sessions"`, "</ul>"); strings.Contains(sessions, book) || !strings.Contains(sessions, "已申请") {
		t.Errorf("the requested session still offers a request: %s", snippet(sessions))
	}
	check := between(care, `id="my-checks"`, "</ul>")
	for _, want := range []string{"2026-12-03 09:00", "地点：县人民医院体检中心三楼", "准备事项：空腹，带身份证", "本年度体检截止 2026-12-31"} {
		if !strings.Contains(check, want) {
			t.Errorf("the booked check lacks %q: %s", want, snippet(check))
		}
	}
	if strings.Contains(care, "/care/health-checks/"+open+"/book") || !strings.Contains(care, i18n.T(i18n.ZH, "web.officer.care.round_booked")) {
		t.Error("the round still offers booking after the officer booked in it, or does not say why")
	}
	if strings.Contains(care, "web.officer.") {
		t.Error("/care shows a raw catalogue key")
	}
	if _, my := officer.get("/my"); !strings.Contains(between(my, `id="my-care"`, "</section>"), "2026-12-03 09:00") {
		t.Errorf("/my does not say when the check is: %s", snippet(between(my, `id="my-care"`, "</section>")))
	}

	// Another officer's booking is not the officer's to see: 404.
	if st, _, _ := officer.post("/care/health-checks/bookings/"+othersCheck+"/cancel", url.Values{"version": {"1"}}); st != http.StatusNotFound {
		t.Errorf("first press on another officer's check = %d, want 404", st)
	}

	// The caseworker cancels the waitlisted stay from the quotas page of
	// 2025: a stale version is refused at that year, the right one returns
	// to it.
	stayID := careMatch(t, `action="/care/recuperation/bookings/([^"/]+)/cancel"`, care, "/care")
	caseworker := journeySignIn(t, s.gateway, "caseworker")
	st, _, body := caseworker.post("/work/recuperation-bookings/"+stayID+"/cancel", url.Values{"version": {"9"}, "year": {"2025"}})
	if st != http.StatusConflict || !strings.Contains(body, `id="filter-year" name="year" inputmode="numeric" value="2025"`) {
		t.Errorf("refused cancel = %d, not at 2025: %s", st, snippet(body))
	}
	if st, loc, body := caseworker.post("/work/recuperation-bookings/"+stayID+"/cancel", url.Values{"version": {"1"}, "year": {"2025"}}); st != http.StatusSeeOther ||
		loc != "/work/recuperation-quotas?m=cancelled&year=2025" {
		t.Errorf("cancel = %d to %q %s", st, loc, snippet(body))
	}

	// The officer asks again, and cancels the new request in two presses;
	// the check likewise.
	if st, _, body := officer.post(book, url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("request the stay again = %d %s", st, snippet(body))
	}
	_, care = officer.get("/care")
	stayID = careMatch(t, `action="/care/recuperation/bookings/([^"/]+)/cancel"`, care, "/care")
	checkID := careMatch(t, `action="/care/health-checks/bookings/([^"/]+)/cancel"`, care, "/care")
	for _, b := range []struct{ name, path, title, what string }{
		{"stay", "/care/recuperation/bookings/" + stayID + "/cancel", i18n.T(i18n.ZH, "web.officer.confirm.stay_title"), "县疗养院"},
		{"check", "/care/health-checks/bookings/" + checkID + "/cancel", i18n.T(i18n.ZH, "web.officer.confirm.check_title"), "2026-12-03 09:00"},
	} {
		st, _, ask := officer.post(b.path, url.Values{"version": {"1"}})
		confirm := between(ask, `id="confirm"`, "</section>")
		if st != http.StatusOK || !strings.Contains(confirm, b.title) || !strings.Contains(confirm, b.what) || !strings.Contains(confirm, `action="`+b.path+`"`) ||
			!strings.Contains(confirm, `name="confirm" value="yes"`) {
			t.Fatalf("%s: first press = %d %s", b.name, st, snippet(confirm))
		}
		if st, _, body := officer.post(b.path, url.Values{"version": {"4"}, "confirm": {"yes"}}); st != http.StatusConflict || !strings.Contains(body, "error-flash") {
			t.Errorf("%s: stale cancel = %d", b.name, st)
		}
		if st, loc, _ := officer.post(b.path, url.Values{"version": {"1"}, "confirm": {"yes"}}); st != http.StatusSeeOther || loc != "/care?m=cancelled" {
			t.Errorf("%s: confirmed cancel = %d %s", b.name, st, loc)
		}
	}
	if st, _, body := officer.post("/care/health-checks/bookings/"+checkID+"/cancel", url.Values{"version": {"2"}}); st != http.StatusConflict ||
		!strings.Contains(body, "这项预约已不能取消") || strings.Contains(body, `id="confirm"`) {
		t.Errorf("asking to cancel a cancelled check = %d", st)
	}
	if _, care = officer.get("/care?m=cancelled"); !strings.Contains(care, "/care/health-checks/"+open+"/book") || !strings.Contains(care, book) {
		t.Error("after cancelling, the round or the stay is not offered again")
	}

	// Compliance: 2025 has passed without a check, so the unit's row is
	// breached and names its members; officers may not read it, and staff
	// have no /care.
	if st, _ := officer.get("/work/health-checks"); st != http.StatusForbidden {
		t.Errorf("officer on compliance = %d", st)
	}
	st, comp := caseworker.get("/work/health-checks?year=2025")
	if st != http.StatusOK || !strings.Contains(comp, "row-breached") || !strings.Contains(comp, `<a href="/work/members/`+s.member+`">张伟</a>`) {
		t.Errorf("compliance 2025 = %d: %s", st, snippet(comp))
	}
	if st, _ := caseworker.get("/care"); st != http.StatusForbidden {
		t.Errorf("caseworker on an officer's care page = %d", st)
	}
}
