package gateway_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// careMatch is the first group of re in s, or fails the test.
func careMatch(t *testing.T, re, s, what string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("%s: no %s in %s", what, re, snippet(s))
	}
	return m[1]
}

// TestCareSetUpPagesAgainstRealServices sets recuperation and health
// checks up through the pages, against the real leave and grants services
// (the fake clock stands at 2026-11-27): an administrator adds a facility
// and a session and changes its places, a caseworker plans the unit's
// round with a slot, and the officer finds both on /care and books the
// slot; recording its result is refused to a caseworker who is not a
// medical one. The administrator also opens next year's fund.
func TestCareSetUpPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	admin := journeySignIn(t, s.gateway, "admin")

	if st, loc, body := admin.post("/admin/care/facilities", url.Values{"name": {"北戴河干部疗养院"}, "location": {"秦皇岛市北戴河区"}}); st != http.StatusSeeOther {
		t.Fatalf("add facility = %d %s %s", st, loc, snippet(body))
	}
	_, page := admin.get("/admin/care")
	facility := careMatch(t, `<option value="([^"]+)">北戴河干部疗养院</option>`, page, "set-up page")
	st, _, body := admin.post("/admin/care/sessions", url.Values{"facility_id": {facility}, "from": {"2026-12-16"}, "to": {"2026-12-10"}, "capacity": {"2"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="to-error"`) || !strings.Contains(body, `value="2026-12-16"`) {
		t.Errorf("a session ending before it starts = %d %s", st, snippet(body))
	}
	if st, loc, body := admin.post("/admin/care/sessions", url.Values{"facility_id": {facility}, "from": {"2026-12-10"}, "to": {"2026-12-16"}, "capacity": {"2"}}); st != http.StatusSeeOther {
		t.Fatalf("add session = %d %s %s", st, loc, snippet(body))
	}
	_, page = admin.get("/admin/care")
	session := careMatch(t, `action="/admin/care/sessions/([^"/]+)/capacity"`, page, "set-up page")
	if !strings.Contains(page, "2026-12-10 – 2026-12-16") {
		t.Errorf("the set-up page does not show the session: %s", snippet(page))
	}
	if st, loc, body := admin.post("/admin/care/sessions/"+session+"/capacity", url.Values{"version": {"1"}, "new_capacity": {"3"}}); st != http.StatusSeeOther {
		t.Fatalf("change places = %d %s %s", st, loc, snippet(body))
	}
	st, _, body = admin.post("/admin/care/sessions/"+session+"/capacity", url.Values{"version": {"1"}, "new_capacity": {"4"}})
	if st != http.StatusConflict || !strings.Contains(body, `id="new_capacity-error"`) {
		t.Errorf("places changed at a stale version = %d %s", st, snippet(body))
	}

	cw := journeySignIn(t, s.gateway, "caseworker")
	if st, page := cw.get("/work/health-check-rounds"); st != http.StatusOK || !strings.Contains(page, "县公安局") {
		t.Fatalf("rounds page = %d %s", st, snippet(page))
	}
	st, loc, body := cw.post("/work/health-check-rounds", url.Values{"unit": {s.unit}, "year": {"2026"}, "opens": {"2026-01-01"}, "closes": {"2026-12-31"}})
	if st != http.StatusSeeOther {
		t.Fatalf("plan round = %d %s %s", st, loc, snippet(body))
	}
	round := careMatch(t, `^/work/health-check-rounds/([^?]+)\?year=2026`, loc, "plan round")
	st, _, body = cw.post("/work/health-check-rounds", url.Values{"unit": {s.unit}, "year": {"2026"}, "opens": {"2026-02-01"}, "closes": {"2026-12-31"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="year-error"`) || !strings.Contains(body, `value="2026-02-01"`) {
		t.Errorf("a second round of the year = %d %s", st, snippet(body))
	}
	st, _, body = cw.post("/work/health-check-rounds/"+round+"/slots", url.Values{"year": {"2026"}, "starts_at": {"2027-01-05T09:00"}, "capacity": {"5"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="starts_at-error"`) || !strings.Contains(body, `value="2027-01-05T09:00"`) {
		t.Errorf("a slot outside the round = %d %s", st, snippet(body))
	}
	if st, loc, body := cw.post("/work/health-check-rounds/"+round+"/slots", url.Values{"year": {"2026"}, "starts_at": {"2026-12-01T08:30"}, "capacity": {"5"}}); st != http.StatusSeeOther {
		t.Fatalf("add slot = %d %s %s", st, loc, snippet(body))
	}
	if st, page := cw.get("/work/health-check-rounds/" + round + "?year=2026"); st != http.StatusOK || !strings.Contains(page, "2026-12-01 08:30") {
		t.Errorf("round page = %d %s", st, snippet(page))
	}

	officer := journeySignIn(t, s.gateway, "officer")
	st, page = officer.get("/care")
	if st != http.StatusOK || !strings.Contains(page, "北戴河干部疗养院 2026-12-10 – 2026-12-16") || !strings.Contains(page, "2026-12-01 08:30") {
		t.Fatalf("the officer's /care = %d %s", st, snippet(page))
	}
	slot := careMatch(t, `action="/care/health-checks/([^"/]+)/book"`, page, "/care")
	if st, loc, body := officer.post("/care/health-checks/"+slot+"/book", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("book the slot = %d %s %s", st, loc, snippet(body))
	}
	_, page = cw.get("/work/health-check-rounds/" + round + "?year=2026")
	booking := careMatch(t, `action="/work/health-check-bookings/([^"/]+)/complete"`, page, "round page")
	if !strings.Contains(page, "张伟") {
		t.Errorf("the round page does not name the officer: %s", snippet(page))
	}
	st, _, body = cw.post("/work/health-check-bookings/"+booking+"/complete", url.Values{"version": {"1"}, "result": {"血压正常"}})
	if st != http.StatusForbidden || !strings.Contains(body, i18n.T(i18n.ZH, "web.hcwork.not_medical")) || !strings.Contains(body, "血压正常") {
		t.Errorf("a result by a caseworker who is not medical = %d %s", st, snippet(body))
	}

	if st, loc, body := admin.post("/admin/funds", url.Values{"fiscal_year": {"2027"}, "name": {"2027年度政法干警关爱帮扶资金"}, "appropriation": {"500,000.00"}}); st != http.StatusSeeOther {
		t.Fatalf("open the 2027 fund = %d %s %s", st, loc, snippet(body))
	}
	if st, page := admin.get("/admin/funds"); st != http.StatusOK || !strings.Contains(page, "2027年度政法干警关爱帮扶资金") || !strings.Contains(page, "¥500,000.00") {
		t.Errorf("funds page = %d %s", st, snippet(page))
	}
	st, _, body = admin.post("/admin/funds", url.Values{"fiscal_year": {"2026"}, "name": {"又一笔"}, "appropriation": {"1"}})
	if st != http.StatusConflict || !strings.Contains(body, `id="fiscal_year-error"`) || !strings.Contains(body, `value="又一笔"`) {
		t.Errorf("a second fund of 2026 = %d %s", st, snippet(body))
	}
	if st, page := journeySignIn(t, s.gateway, "finance").get("/admin/funds"); st != http.StatusOK || !strings.Contains(page, "¥500,000.00") {
		t.Errorf("finance's funds page = %d %s", st, snippet(page))
	}
}
