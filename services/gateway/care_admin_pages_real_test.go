package gateway_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// rawKey is a catalogue key printed instead of its text.
var rawKey = regexp.MustCompile(`\b(web|gateway)\.[a-z_]+\.[a-z_.0-9]+`)

// want checks a page's status, that it says each of texts, and that it
// shows no raw catalogue key.
func want(t *testing.T, what string, st int, body string, status int, texts ...string) {
	t.Helper()
	if st != status {
		t.Errorf("%s = %d, want %d: %s", what, st, status, snippet(body))
		return
	}
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("%s lacks %q: %s", what, s, snippet(body))
		}
	}
	if k := rawKey.FindString(body); k != "" {
		t.Errorf("%s shows the raw key %q", what, k)
	}
}

// TestCareAdminFormsAgainstRealServices checks the care administration's
// forms (pages/leave: /admin/care and the health-check rounds) against the
// real leave service, where they used to run against a fake one: what the
// page checks itself (a number, a date, a time), what it shows of the
// service's refusals, by the field, with what was typed, and who may use
// them. TestCareSetUpPagesAgainstRealServices walks the same pages' happy
// path. The fake clock stands at 2026-11-27.
func TestCareAdminFormsAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	if _, err := gateway.SeedUsers(context.Background(), s.env.Deps, gateway.Config{}, []gateway.DemoUser{{Username: "medic", DisplayName: "钱医生",
		Roles: []auth.Role{auth.RoleMedicalCaseworker}, Units: []string{s.unit}, Password: journeyPassword("medic")}}); err != nil {
		t.Fatal(err)
	}
	admin := journeySignIn(t, s.gateway, "admin")
	cw := journeySignIn(t, s.gateway, "caseworker")
	officer := journeySignIn(t, s.gateway, "officer")

	// Facilities and sessions.
	st, _, body := admin.post("/admin/care/facilities", url.Values{"name": {"  "}, "location": {"秦皇岛北戴河"}})
	want(t, "a facility without a name", st, body, http.StatusUnprocessableEntity, `id="name-error"`, `value="秦皇岛北戴河"`, i18n.T(i18n.ZH, "field.required"))
	if st, loc, body := admin.post("/admin/care/facilities", url.Values{"name": {"北戴河疗养院"}, "location": {"秦皇岛"}}); st != http.StatusSeeOther || loc != "/admin/care?m=facility" {
		t.Fatalf("facility = %d %s %s", st, loc, snippet(body))
	}
	_, page := admin.get("/admin/care")
	facility := careMatch(t, `<option value="([^"]+)"[^>]*>北戴河疗养院`, page, "/admin/care")
	st, _, body = admin.post("/admin/care/sessions", url.Values{"facility_id": {facility}, "from": {"2026-13-01"}, "to": {"2026-12-20"}, "capacity": {"abc"}})
	want(t, "a session with a bad date and places", st, body, http.StatusUnprocessableEntity, `id="from-error"`, `id="capacity-error"`,
		`value="2026-13-01"`, `value="2026-12-20"`, `value="abc"`, i18n.T(i18n.ZH, "field.date"))
	for _, unknown := range []string{"0190c7b2-0000-7000-8000-000000000009", "fac-9"} {
		st, _, body = admin.post("/admin/care/sessions", url.Values{"facility_id": {unknown}, "from": {"2026-12-14"}, "to": {"2026-12-20"}, "capacity": {"8"}})
		want(t, "a session of an unknown facility "+unknown, st, body, http.StatusUnprocessableEntity, `id="facility_id-error"`, i18n.T(i18n.ZH, "field.not_found"))
	}
	if st, loc, body := admin.post("/admin/care/sessions", url.Values{"facility_id": {facility}, "from": {"2026-12-14"}, "to": {"2026-12-20"}, "capacity": {"8"}}); st != http.StatusSeeOther || loc != "/admin/care?m=session" {
		t.Fatalf("session = %d %s %s", st, loc, snippet(body))
	}
	_, page = admin.get("/admin/care")
	session := careMatch(t, `action="/admin/care/sessions/([^"/]+)/capacity"`, page, "/admin/care")
	capacity := "/admin/care/sessions/" + session + "/capacity"
	st, _, body = admin.post(capacity, url.Values{"version": {"1"}, "new_capacity": {"两个"}})
	want(t, "places not a number", st, body, http.StatusUnprocessableEntity, `id="new_capacity-error"`, `value="两个"`, i18n.T(i18n.ZH, "field.range", 1, 10000))
	if st, _, _ := admin.post(capacity, url.Values{"new_capacity": {"12"}}); st != http.StatusBadRequest {
		t.Errorf("places without a version = %d", st)
	}
	if st, loc, body := admin.post(capacity, url.Values{"version": {"1"}, "new_capacity": {"12"}}); st != http.StatusSeeOther || loc != "/admin/care?m=capacity" {
		t.Fatalf("places = %d %s %s", st, loc, snippet(body))
	}
	st, page = admin.get("/admin/care?m=capacity")
	want(t, "after the places", st, page, http.StatusOK, i18n.T(i18n.ZH, "web.careadmin.capacity_saved"), `name="version" value="2"`)
	if strings.Contains(page, i18n.T(i18n.ZH, "web.careadmin.waitlisted_n", 0)) {
		t.Error("an administrator, who sees no unit's bookings, is shown a waitlist count")
	}
	st, _, body = admin.post(capacity, url.Values{"version": {"1"}, "new_capacity": {"13"}})
	want(t, "stale places", st, body, http.StatusConflict, `value="13"`, `<details class="action" open>`)
	st, page = cw.get("/admin/care")
	want(t, "the caseworker's set-up page", st, page, http.StatusOK, "北戴河疗养院", i18n.T(i18n.ZH, "web.careadmin.waitlisted_n", 0))
	if st, _ := officer.get("/admin/care"); st != http.StatusForbidden {
		t.Errorf("officer on the set-up page = %d", st)
	}
	for _, p := range []string{"/admin/care/facilities", "/admin/care/sessions", capacity} {
		if st, _, _ := officer.post(p, url.Values{"name": {"x"}, "facility_id": {facility}, "from": {"2026-12-01"}, "to": {"2026-12-02"}, "capacity": {"3"},
			"version": {"1"}, "new_capacity": {"3"}}); st != http.StatusForbidden {
			t.Errorf("officer POST %s = %d", p, st)
		}
	}

	// Health-check rounds.
	st, _, body = cw.post("/work/health-check-rounds", url.Values{"unit": {s.unit}, "year": {"20x7"}, "opens": {""}, "closes": {"2027-10-31"}})
	want(t, "a round with a bad year", st, body, http.StatusUnprocessableEntity, `id="year-error"`, `id="opens-error"`, `value="20x7"`, `value="2027-10-31"`)
	st, _, body = cw.post("/work/health-check-rounds", url.Values{"unit": {s.unit}, "year": {"2027"}, "opens": {"2026-12-01"}, "closes": {"2027-10-31"}})
	want(t, "a round opening in another year", st, body, http.StatusUnprocessableEntity, `id="opens-error"`, `value="2026-12-01"`)
	st, loc, body := cw.post("/work/health-check-rounds", url.Values{"unit": {s.unit}, "year": {"2027"}, "opens": {"2027-03-01"}, "closes": {"2027-10-31"}})
	if st != http.StatusSeeOther || !strings.HasSuffix(loc, "?year=2027&m=planned") {
		t.Fatalf("round = %d %s %s", st, loc, snippet(body))
	}
	round := strings.TrimPrefix(strings.TrimSuffix(loc, "?year=2027&m=planned"), "/work/health-check-rounds/")
	st, page = cw.get(loc)
	want(t, "the new round", st, page, http.StatusOK, "2027-03-01 – 2027-10-31", i18n.T(i18n.ZH, "web.hcwork.planned"), i18n.T(i18n.ZH, "web.hcwork.no_slots"))
	st, _, body = cw.post("/work/health-check-rounds", url.Values{"unit": {s.unit}, "year": {"2027"}, "opens": {"2027-03-01"}, "closes": {"2027-09-30"}})
	want(t, "a second round of a year", st, body, http.StatusUnprocessableEntity, `id="year-error"`, `value="2027-09-30"`)
	slots := "/work/health-check-rounds/" + round + "/slots"
	st, _, body = cw.post(slots, url.Values{"year": {"2027"}, "starts_at": {"明天上午"}, "capacity": {"0"}})
	want(t, "a slot with a bad time", st, body, http.StatusUnprocessableEntity, `id="starts_at-error"`, `id="capacity-error"`, `value="明天上午"`, `value="0"`,
		i18n.T(i18n.ZH, "web.hcwork.starts_at_invalid"))
	st, _, body = cw.post(slots, url.Values{"year": {"2027"}, "starts_at": {"2027-12-01T09:00"}, "capacity": {"5"}})
	want(t, "a slot outside the round", st, body, http.StatusUnprocessableEntity, `value="2027-12-01T09:00"`, `value="5"`)
	// 07:30 in Beijing is the day before in UTC: the page converts both ways.
	if st, loc, body := cw.post(slots, url.Values{"year": {"2027"}, "starts_at": {"2027-05-10T07:30"}, "capacity": {"5"}}); st != http.StatusSeeOther ||
		loc != "/work/health-check-rounds/"+round+"?year=2027&m=slot" {
		t.Fatalf("slot = %d %s %s", st, loc, snippet(body))
	}
	st, page = cw.get("/work/health-check-rounds/" + round + "?year=2027")
	want(t, "the round with its slot", st, page, http.StatusOK, "2027-05-10 07:30", "0 / 5")
	// A slot's place and how to prepare, set with it.
	if st, _, body := cw.post(slots, url.Values{"year": {"2027"}, "starts_at": {"2027-05-11T09:00"}, "capacity": {"5"},
		"place": {"县中医院二楼"}, "notes": {"前一晚十点后禁食"}}); st != http.StatusSeeOther {
		t.Fatalf("slot with its place = %d %s", st, snippet(body))
	}
	st, page = cw.get("/work/health-check-rounds/" + round + "?year=2027")
	want(t, "the round with the slot's place", st, page, http.StatusOK, "地点：县中医院二楼", "准备事项：前一晚十点后禁食", `id="place"`, `id="notes"`)
	if st, _ := cw.get("/work/health-check-rounds/0190c7b2-0000-7000-8000-000000000009?year=2027"); st != http.StatusNotFound {
		t.Errorf("an unknown round = %d", st)
	}

	// Bookings of this year's round: a result is a medical caseworker's.
	id := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	r26 := s.call(t, id, "POST", "/api/v1/leave/health-checks/rounds", map[string]any{"unit_id": s.unit, "year": 2026, "opens": "2026-01-01", "closes": "2026-12-31"}, 201)["id"].(string)
	slot := s.call(t, id, "POST", "/api/v1/leave/health-checks/rounds/"+r26+"/slots", map[string]any{"starts_at": "2026-12-03T01:00:00Z", "capacity": 5}, 201)["id"].(string)
	if st, _, body := officer.post("/care/health-checks/"+slot+"/book", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("book = %d %s", st, snippet(body))
	}
	st, page = cw.get("/work/health-check-rounds/" + r26 + "?year=2026")
	booking := careMatch(t, `action="/work/health-check-bookings/([^"/]+)/complete"`, page, "the round")
	want(t, "the round's booking", st, page, http.StatusOK, "张伟", `action="/work/health-check-bookings/`+booking+`/no-show"`, `action="/work/health-check-bookings/`+booking+`/cancel"`)
	st, _, body = cw.post("/work/health-check-bookings/"+booking+"/complete", url.Values{"version": {"1"}, "result": {"血压偏高，建议复查"}})
	want(t, "a result by a caseworker who is not medical", st, body, http.StatusForbidden, i18n.T(i18n.ZH, "web.hcwork.not_medical"), "血压偏高，建议复查", `<details class="action" open>`)
	medic := journeySignIn(t, s.gateway, "medic")
	st, page = medic.get("/work/health-check-rounds?year=2026")
	want(t, "the medical caseworker's rounds", st, page, http.StatusOK, `href="/work/health-check-rounds"`, `href="/work/health-check-rounds/`+r26+`?year=2026"`)
	st, _, body = medic.post("/work/health-check-bookings/"+booking+"/complete", url.Values{"version": {"1"}, "result": {" "}})
	want(t, "an empty result", st, body, http.StatusUnprocessableEntity, `id="result-`+booking+`-error"`, i18n.T(i18n.ZH, "field.required"))
	if st, _, _ := cw.post("/work/health-check-bookings/"+booking+"/cancel", url.Values{}); st != http.StatusBadRequest {
		t.Errorf("cancel without a version = %d", st)
	}
	st, _, body = cw.post("/work/health-check-bookings/"+booking+"/no-show", url.Values{"version": {"7"}})
	want(t, "a stale no-show", st, body, http.StatusConflict, "error-flash")
	// A check still to come cannot be missed: the service's words, on the round.
	st, _, body = cw.post("/work/health-check-bookings/"+booking+"/no-show", url.Values{"version": {"1"}})
	want(t, "a no-show before the check", st, body, http.StatusConflict, "error-flash", "2026-12-03 09:00")
	if st, loc, body := cw.post("/work/health-check-bookings/"+booking+"/cancel", url.Values{"version": {"1"}}); st != http.StatusSeeOther ||
		loc != "/work/health-check-rounds/"+r26+"?year=2026&m=cancel" {
		t.Fatalf("cancel = %d %s %s", st, loc, snippet(body))
	}
	st, _, body = cw.post("/work/health-check-bookings/"+booking+"/cancel", url.Values{"version": {"2"}})
	want(t, "cancelling a cancelled booking", st, body, http.StatusConflict, "error-flash")
	for _, p := range []string{"/work/health-check-rounds", "/work/health-check-rounds/" + round} {
		if st, _ := officer.get(p); st != http.StatusForbidden {
			t.Errorf("officer GET %s = %d", p, st)
		}
		if st, _ := admin.get(p); st != http.StatusForbidden {
			t.Errorf("admin GET %s = %d", p, st)
		}
	}
	if st, _, _ := officer.post(slots, url.Values{"year": {"2027"}, "starts_at": {"2027-05-11T09:00"}, "capacity": {"5"}}); st != http.StatusForbidden {
		t.Errorf("officer adds a slot = %d", st)
	}

	// In English.
	if st, _, _ := cw.post("/lang", url.Values{"lang": {"en"}, "next": {"/work/health-check-rounds"}}); st != http.StatusSeeOther {
		t.Fatalf("switch to English = %d", st)
	}
	st, page = cw.get("/work/health-check-rounds/" + round + "?year=2027")
	want(t, "a round in English", st, page, http.StatusOK, i18n.T(i18n.EN, "web.hcwork.add_slot"))
}
