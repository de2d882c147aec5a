package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// careRawKey is a catalogue key printed instead of its text.
var careRawKey = regexp.MustCompile(`\b(web|gateway)\.[a-z_]+\.[a-z_.0-9]+`)

// careWant checks a page's status and that it holds every text, with no raw
// catalogue key.
func (r response) careWant(t *testing.T, what string, status int, texts ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s = %d, want %d: %s", what, r.status, status, r.body)
	}
	for _, s := range texts {
		if !strings.Contains(r.body, s) {
			t.Errorf("%s lacks %q", what, s)
		}
	}
	if k := careRawKey.FindString(r.body); k != "" {
		t.Errorf("%s shows the raw key %q", what, k)
	}
}

// careRedirect checks a 303 to a path starting with prefix.
func (r response) careRedirect(t *testing.T, what, prefix string) {
	t.Helper()
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), prefix) {
		t.Fatalf("%s = %d %q, want a redirect to %s: %s", what, r.status, r.header.Get("Location"), prefix, r.body)
	}
}

// careForm is a posted form with the page's token.
func careForm(tok string, kv ...string) url.Values {
	v := url.Values{"csrf_token": {tok}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestCareAdminPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("case1", domain.RoleCaseworker)
	e.user("officer1", domain.RoleOfficer)
	a := e.browser()
	a.signIn("admin1")
	a.get("/admin/care").careWant(t, "admin's care set-up", http.StatusOK, "北戴河疗养院", "秦皇岛", "2026-06-01 – 2026-06-07", `action="/admin/care/sessions/s-1/capacity"`,
		`action="/admin/care/facilities"`, `action="/admin/care/sessions"`)
	tok := a.token("/admin/care")

	t.Run("facility", func(t *testing.T) {
		r := a.post("/admin/care/facilities", careForm(tok, "name", "  ", "location", "秦皇岛北戴河"))
		r.careWant(t, "facility without a name", http.StatusUnprocessableEntity, `id="name-error"`, `value="秦皇岛北戴河"`, i18n.T(i18n.ZH, "field.required"))
		a.post("/admin/care/facilities", careForm(tok, "name", "兴隆山疗养院", "location", "兴隆")).careRedirect(t, "facility", "/admin/care?m=facility")
		a.get("/admin/care?m=facility").careWant(t, "after the facility", http.StatusOK, "兴隆山疗养院", i18n.T(i18n.ZH, "web.careadmin.facility_added"))
	})

	t.Run("session", func(t *testing.T) {
		r := a.post("/admin/care/sessions", careForm(tok, "facility_id", "fac-1", "from", "2026-13-01", "to", "2026-07-07", "capacity", "abc"))
		r.careWant(t, "session with a bad date and places", http.StatusUnprocessableEntity, `id="from-error"`, `id="capacity-error"`,
			`value="2026-13-01"`, `value="2026-07-07"`, `value="abc"`, i18n.T(i18n.ZH, "field.date"))
		r = a.post("/admin/care/sessions", careForm(tok, "facility_id", "fac-1", "from", "2026-07-07", "to", "2026-07-01", "capacity", "8"))
		r.careWant(t, "session ending before it starts", http.StatusUnprocessableEntity, "结束日期不能早于开始日期", `id="to-error"`, `value="2026-07-01"`, `value="8"`)
		r = a.post("/admin/care/sessions", careForm(tok, "facility_id", "fac-9", "from", "2026-07-01", "to", "2026-07-07", "capacity", "8"))
		r.careWant(t, "session of an unknown facility", http.StatusUnprocessableEntity, `id="facility_id-error"`, i18n.T(i18n.ZH, "field.not_found"))
		a.post("/admin/care/sessions", careForm(tok, "facility_id", "fac-1", "from", "2026-07-01", "to", "2026-07-07", "capacity", "8")).careRedirect(t, "session", "/admin/care?m=session")
		a.get("/admin/care").careWant(t, "after the session", http.StatusOK, "2026-07-01 – 2026-07-07", `action="/admin/care/sessions/s-2/capacity"`)
	})

	t.Run("capacity", func(t *testing.T) {
		r := a.post("/admin/care/sessions/s-1/capacity", careForm(tok, "version", "1", "new_capacity", "2"))
		r.careWant(t, "places below those confirmed", http.StatusUnprocessableEntity, `id="new_capacity-error"`, "leave.recuperation.capacity_below_booked", `value="2"`)
		a.post("/admin/care/sessions/s-1/capacity", careForm(tok, "version", "1", "new_capacity", "两个")).careWant(t, "places not a number",
			http.StatusUnprocessableEntity, `id="new_capacity-error"`, `value="两个"`, i18n.T(i18n.ZH, "field.range", 1, 10000))
		if r := a.post("/admin/care/sessions/s-1/capacity", careForm(tok, "new_capacity", "12")); r.status != http.StatusBadRequest {
			t.Errorf("places without a version = %d", r.status)
		}
		a.post("/admin/care/sessions/s-1/capacity", careForm(tok, "version", "1", "new_capacity", "12")).careRedirect(t, "places", "/admin/care?m=capacity")
		a.get("/admin/care").careWant(t, "after the places", http.StatusOK, i18n.T(i18n.ZH, "web.careadmin.places", 12, 3), `name="version" value="2"`)
		a.post("/admin/care/sessions/s-1/capacity", careForm(tok, "version", "1", "new_capacity", "13")).careWant(t, "stale places", http.StatusConflict,
			`value="13"`, "version_mismatch", `<details class="action" open>`)
	})

	t.Run("caseworker and officer", func(t *testing.T) {
		cw := e.browser()
		cw.signIn("case1")
		cw.get("/admin/care").careWant(t, "caseworker's care set-up", http.StatusOK, "北戴河疗养院", i18n.T(i18n.ZH, "web.careadmin.waitlisted_n", 0))
		if r := a.get("/admin/care"); strings.Contains(r.body, i18n.T(i18n.ZH, "web.careadmin.waitlisted_n", 0)) {
			t.Error("an administrator, who sees no unit's bookings, is shown a waitlist count")
		}
		o := e.browser()
		o.signIn("officer1")
		otok := o.token("/care")
		if r := o.get("/admin/care"); r.status != http.StatusForbidden {
			t.Errorf("officer on the set-up page = %d", r.status)
		}
		for _, p := range []string{"/admin/care/facilities", "/admin/care/sessions", "/admin/care/sessions/s-1/capacity"} {
			if r := o.post(p, careForm(otok, "name", "x", "facility_id", "fac-1", "from", "2026-07-01", "to", "2026-07-02", "capacity", "3", "version", "1", "new_capacity", "3")); r.status != http.StatusForbidden {
				t.Errorf("officer POST %s = %d", p, r.status)
			}
		}
	})

	t.Run("english", func(t *testing.T) {
		a.post("/lang", careForm(tok, "lang", "en", "next", "/admin/care"))
		a.get("/admin/care").careWant(t, "set-up page in English", http.StatusOK, i18n.T(i18n.EN, "web.careadmin.title"))
		a.post("/admin/care/facilities", careForm(tok, "name", "")).careWant(t, "refused facility in English", http.StatusUnprocessableEntity, i18n.T(i18n.EN, "field.required"))
	})
}

func TestHealthCheckRoundPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("medic1", domain.RoleMedicalCaseworker)
	e.user("case1", domain.RoleCaseworker)
	e.user("admin1", domain.RoleAdmin)
	e.user("officer1", domain.RoleOfficer)
	cw := e.browser()
	cw.signIn("case1")
	cw.get("/work/health-check-rounds?year=2026").careWant(t, "rounds of 2026", http.StatusOK, `href="/work/health-check-rounds/r-1?year=2026"`, "2026-03-01 – 2026-11-30", "2 / 2",
		`action="/work/health-check-rounds"`, `<option value="unit-1" selected>`)
	tok := cw.token("/work/health-check-rounds")

	t.Run("plan", func(t *testing.T) {
		r := cw.post("/work/health-check-rounds", careForm(tok, "unit", "unit-1", "year", "20x7", "opens", "", "closes", "2027-10-31"))
		r.careWant(t, "round with a bad year", http.StatusUnprocessableEntity, `id="year-error"`, `id="opens-error"`, `value="20x7"`, `value="2027-10-31"`)
		cw.post("/work/health-check-rounds", careForm(tok, "unit", "unit-1", "year", "2026", "opens", "2026-03-01", "closes", "2026-10-31")).careWant(t,
			"second round of a year", http.StatusUnprocessableEntity, `id="year-error"`, "已存在", `value="2026-10-31"`)
		cw.post("/work/health-check-rounds", careForm(tok, "unit", "unit-9", "year", "2027", "opens", "2027-03-01", "closes", "2027-10-31")).careWant(t,
			"round of a unit not one's own", http.StatusUnprocessableEntity, `id="unit-error"`)
		cw.post("/work/health-check-rounds", careForm(tok, "unit", "unit-1", "year", "2027", "opens", "2026-12-01", "closes", "2027-10-31")).careWant(t,
			"round opening in another year", http.StatusUnprocessableEntity, `id="opens-error"`, "应在该年度内", `value="2026-12-01"`)
		cw.post("/work/health-check-rounds", careForm(tok, "unit", "unit-1", "year", "2027", "opens", "2027-03-01", "closes", "2027-10-31")).careRedirect(t,
			"round", "/work/health-check-rounds/r-2?year=2027&m=planned")
		cw.get("/work/health-check-rounds/r-2?year=2027&m=planned").careWant(t, "the new round", http.StatusOK, "2027-03-01 – 2027-10-31",
			i18n.T(i18n.ZH, "web.hcwork.planned"), i18n.T(i18n.ZH, "web.hcwork.no_slots"))
	})

	t.Run("slots", func(t *testing.T) {
		r := cw.post("/work/health-check-rounds/r-2/slots", careForm(tok, "year", "2027", "starts_at", "明天上午", "capacity", "0"))
		r.careWant(t, "slot with a bad time", http.StatusUnprocessableEntity, `id="starts_at-error"`, `id="capacity-error"`, `value="明天上午"`, `value="0"`,
			i18n.T(i18n.ZH, "web.hcwork.starts_at_invalid"))
		cw.post("/work/health-check-rounds/r-2/slots", careForm(tok, "year", "2027", "starts_at", "2027-12-01T09:00", "capacity", "5")).careWant(t,
			"slot outside the round", http.StatusUnprocessableEntity, "应在预约期间内", `value="2027-12-01T09:00"`, `value="5"`)
		// 07:30 in Beijing is the day before in UTC: the page must convert.
		cw.post("/work/health-check-rounds/r-2/slots", careForm(tok, "year", "2027", "starts_at", "2027-05-10T07:30", "capacity", "5")).careRedirect(t,
			"slot", "/work/health-check-rounds/r-2?year=2027&m=slot")
		if got := e.leave.lastStartsAt(); got != "2027-05-09T23:30:00Z" {
			t.Errorf("starts_at sent %q, want 2027-05-09T23:30:00Z", got)
		}
		cw.get("/work/health-check-rounds/r-2?year=2027").careWant(t, "round with its slot", http.StatusOK, "2027-05-10 07:30", "0 / 5")
	})

	t.Run("bookings", func(t *testing.T) {
		round := cw.get("/work/health-check-rounds/r-1?year=2026")
		round.careWant(t, "round r-1", http.StatusOK, "刘洋", "陈静", `action="/work/health-check-bookings/hc-1/complete"`,
			`action="/work/health-check-bookings/hc-1/no-show"`, `action="/work/health-check-bookings/hc-2/cancel"`)
		r := cw.post("/work/health-check-bookings/hc-1/complete", careForm(tok, "version", "1", "result", "血压偏高，建议复查"))
		r.careWant(t, "result by a caseworker who is not medical", http.StatusForbidden, i18n.T(i18n.ZH, "web.hcwork.not_medical"), "血压偏高，建议复查", "<details class=\"action\" open>")
		m := e.browser()
		m.signIn("medic1")
		mtok := m.token("/work/health-check-rounds")
		m.post("/work/health-check-bookings/hc-1/complete", careForm(mtok, "version", "1", "result", " ")).careWant(t, "empty result",
			http.StatusUnprocessableEntity, `id="result-hc-1-error"`, i18n.T(i18n.ZH, "field.required"))
		m.post("/work/health-check-bookings/hc-1/complete", careForm(mtok, "version", "1", "result", "正常")).careRedirect(t, "result",
			"/work/health-check-rounds/r-1?year=2026&m=complete")
		m.get("/work/health-check-rounds/r-1?year=2026&m=complete").careWant(t, "after the result", http.StatusOK, i18n.T(i18n.ZH, "web.hcwork.recorded"),
			i18n.T(i18n.ZH, "web.care.check_status.completed"), "2026-03-02")
		cw.post("/work/health-check-bookings/hc-1/no-show", careForm(tok, "version", "1")).careWant(t, "stale no-show", http.StatusConflict, "error-flash", "version_mismatch")
		cw.post("/work/health-check-bookings/hc-2/no-show", careForm(tok, "version", "1")).careRedirect(t, "no-show", "/work/health-check-rounds/r-1?year=2026&m=no-show")
		cw.post("/work/health-check-bookings/hc-2/cancel", careForm(tok, "version", "2")).careWant(t, "cancelling a no-show", http.StatusConflict,
			"error-flash", "leave.healthcheck.invalid_transition")
		if r := cw.post("/work/health-check-bookings/hc-2/cancel", careForm(tok)); r.status != http.StatusBadRequest {
			t.Errorf("cancel without a version = %d", r.status)
		}
		if r := cw.get("/work/health-check-rounds/r-9?year=2026"); r.status != http.StatusNotFound {
			t.Errorf("unknown round = %d", r.status)
		}
	})

	t.Run("others", func(t *testing.T) {
		for _, name := range []string{"officer1", "admin1"} {
			b := e.browser()
			b.signIn(name)
			btok := b.token("/account")
			for _, p := range []string{"/work/health-check-rounds", "/work/health-check-rounds/r-1"} {
				if r := b.get(p); r.status != http.StatusForbidden {
					t.Errorf("%s GET %s = %d", name, p, r.status)
				}
			}
			for _, p := range []string{"/work/health-check-rounds", "/work/health-check-rounds/r-1/slots", "/work/health-check-bookings/hc-2/complete",
				"/work/health-check-bookings/hc-2/no-show", "/work/health-check-bookings/hc-2/cancel"} {
				if r := b.post(p, careForm(btok, "version", "1", "result", "x", "unit", "unit-1", "year", "2028", "opens", "2028-01-01", "closes", "2028-02-01")); r.status != http.StatusForbidden {
					t.Errorf("%s POST %s = %d", name, p, r.status)
				}
			}
		}
	})

	t.Run("english", func(t *testing.T) {
		cw.post("/lang", careForm(tok, "lang", "en", "next", "/work/health-check-rounds"))
		cw.get("/work/health-check-rounds?year=2026").careWant(t, "rounds in English", http.StatusOK, i18n.T(i18n.EN, "web.hcwork.title"))
		cw.get("/work/health-check-rounds/r-1?year=2026").careWant(t, "round in English", http.StatusOK, i18n.T(i18n.EN, "web.hcwork.add_slot"))
	})
}

func TestFundPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("admin1", domain.RoleAdmin)
	e.user("finance1", domain.RoleFinance)
	e.user("auditor1", domain.RoleAuditor)
	e.user("officer1", domain.RoleOfficer)
	for _, name := range []string{"finance1", "auditor1"} {
		b := e.browser()
		b.signIn(name)
		r := b.get("/admin/funds")
		r.careWant(t, name+"'s funds", http.StatusOK, "2026 年资助资金", "¥1,000,000.00", `href="/finance?fund=f-1"`)
		if strings.Contains(r.body, `action="/admin/funds"`) {
			t.Errorf("%s is offered the form that opens a fund", name)
		}
		if r := b.post("/admin/funds", careForm(b.token("/account"), "fiscal_year", "2027", "name", "x", "appropriation", "1")); r.status != http.StatusForbidden {
			t.Errorf("%s POST /admin/funds = %d", name, r.status)
		}
	}
	o := e.browser()
	o.signIn("officer1")
	if r := o.get("/admin/funds"); r.status != http.StatusForbidden {
		t.Errorf("officer on the funds = %d", r.status)
	}

	a := e.browser()
	a.signIn("admin1")
	a.get("/admin/funds").careWant(t, "admin's funds", http.StatusOK, `action="/admin/funds"`, `id="fiscal_year" name="fiscal_year" type="text" autocomplete="off" inputmode="numeric" value="2027"`)
	tok := a.token("/admin/funds")
	a.post("/admin/funds", careForm(tok, "fiscal_year", "两千", "name", "", "appropriation", "12.345")).careWant(t, "fund with bad fields", http.StatusUnprocessableEntity,
		`id="fiscal_year-error"`, `id="name-error"`, `id="appropriation-error"`, `value="两千"`, `value="12.345"`, i18n.T(i18n.ZH, "field.money"))
	a.post("/admin/funds", careForm(tok, "fiscal_year", "2026", "name", "又一笔", "appropriation", "100")).careWant(t, "second fund of 2026", http.StatusConflict,
		`id="fiscal_year-error"`, "grants.fund_exists", `value="又一笔"`)
	a.post("/admin/funds", careForm(tok, "fiscal_year", "2027", "name", "2027年度资金", "appropriation", "3,000,000.50")).careRedirect(t, "fund", "/admin/funds?m=created")
	if got := e.grants.createdFunds(); !slices.Equal(got, []string{"2027|2027年度资金|300000050"}) {
		t.Errorf("funds created %v, want the appropriation in fen", got)
	}
	a.get("/admin/funds?m=created").careWant(t, "after the fund", http.StatusOK, i18n.T(i18n.ZH, "web.funds.created"))
	a.post("/lang", careForm(tok, "lang", "en", "next", "/admin/funds"))
	a.get("/admin/funds").careWant(t, "funds in English", http.StatusOK, i18n.T(i18n.EN, "web.funds.title"))
}
