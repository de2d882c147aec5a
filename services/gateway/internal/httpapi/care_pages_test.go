package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestCarePages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	o := e.browser()
	o.signIn("officer1")
	page := o.get("/care")
	if page.status != http.StatusOK || !strings.Contains(page.body, "北戴河疗养院") || strings.Contains(page.body, "/care/health-checks/slot-1/book") {
		t.Fatalf("care page %d (a full slot must not offer booking)", page.status)
	}
	tok := o.token("/care")
	if r := o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {tok}}); r.status != http.StatusSeeOther {
		t.Fatalf("book = %d", r.status)
	}
	if r := o.get("/care?m=booked"); !strings.Contains(r.body, "候补中") {
		t.Error("the waitlisted stay is not shown")
	}
	if r := o.post("/care/recuperation/s-1/book", url.Values{"csrf_token": {tok}}); r.status != http.StatusConflict || !strings.Contains(r.body, "error-flash") {
		t.Errorf("second booking = %d", r.status)
	}
	if r := o.get("/work/health-checks"); r.status != http.StatusForbidden {
		t.Errorf("officer on compliance = %d", r.status)
	}
	cw := e.browser()
	cw.signIn("case1")
	c := cw.get("/work/health-checks?year=2026")
	if c.status != http.StatusOK || !strings.Contains(c.body, "87.50") || !strings.Contains(c.body, "row-breached") {
		t.Fatalf("compliance %d", c.status)
	}
	if !strings.Contains(c.body, `<a href="/work/members/m-9">刘洋</a>`) {
		t.Errorf("the compliance page does not name the overdue member: %s", c.body)
	}
	if r := cw.get("/care"); r.status != http.StatusForbidden {
		t.Errorf("caseworker on an officer's care page = %d", r.status)
	}
}
