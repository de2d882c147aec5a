package gateway_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPlanPagesAgainstRealServices: an administrator creates next year's
// plan through the page, the unit is enrolled after the dry run's preview,
// and the member's page shows the 2027 enrollment.
func TestPlanPagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	admin := journeySignIn(t, s.gateway, "admin")
	if st, body := admin.get("/admin/plans"); st != http.StatusOK || !strings.Contains(body, `id="new-plan"`) {
		t.Fatalf("plans page = %d %s", st, snippet(body))
	}
	form := url.Values{"scheme": {"personal_accident"}, "year": {"2027"}, "name": {"2027年度干警意外伤害保险"},
		"coverage_from": {"2027-01-01"}, "coverage_to": {"2027-12-31"}, "premium": {"abc"}, "payer": {"unit"},
		"waiting_days": {"0"}, "death": {"300000"}, "cat_police": {"1"}}
	// A mistyped premium is said next to it, with what was typed kept.
	if st, _, body := admin.post("/admin/plans", form); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, `id="premium-error"`) || !strings.Contains(body, `value="abc"`) {
		t.Fatalf("bad premium = %d %s", st, snippet(body))
	}
	// The registry's own refusal (a lighter disability grade paying more)
	// comes back beside the field too.
	form.Set("premium", "120.50")
	form.Set("disability", "100000/200000")
	if st, _, body := admin.post("/admin/plans", form); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="disability-error"`) {
		t.Fatalf("disability sums out of order = %d %s", st, snippet(body))
	}
	form.Set("disability", "300000/270000")
	st, loc, body := admin.post("/admin/plans", form)
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/plans/") {
		t.Fatalf("create plan = %d %s %s", st, loc, snippet(body))
	}
	plan := strings.TrimSuffix(loc, "?m=created")
	if st, body := admin.get(loc); st != http.StatusOK || !strings.Contains(body, "¥120.50") || !strings.Contains(body, "县公安局") {
		t.Fatalf("plan page = %d %s", st, snippet(body))
	}
	if st, _, body := admin.post("/admin/plans", form); st != http.StatusConflict || !strings.Contains(body, `id="year-error"`) {
		t.Errorf("the same plan twice = %d %s", st, snippet(body))
	}

	// The seeded administrator manages no unit, so the registry refuses to
	// enrol one for them: said beside the unit, not an error page. The
	// unit's caseworker enrols it.
	bulk := url.Values{"unit_id": {s.unit}, "start": {"2027-01-01"}}
	if st, _, body := admin.post(plan+"/bulk", bulk); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="unit_id-error"`) {
		t.Errorf("bulk by an administrator of no unit = %d %s", st, snippet(body))
	}
	cw := journeySignIn(t, s.gateway, "caseworker")
	if st, body := cw.get(plan); st != http.StatusOK || !strings.Contains(body, "县委政法委 / 县公安局") {
		t.Fatalf("plan page for the caseworker = %d %s", st, snippet(body))
	}
	st, _, body = cw.post(plan+"/bulk", bulk)
	if st != http.StatusOK || !strings.Contains(body, `name="confirm" value="1"`) || !strings.Contains(body, "将有 2 人参加") {
		t.Fatalf("bulk preview = %d %s", st, snippet(body))
	}
	if _, page := cw.get("/work/members/" + s.member); strings.Contains(page, "2027-01-01 – 2027-12-31") {
		t.Fatal("the preview enrolled")
	}
	bulk.Set("confirm", "1")
	st, _, body = cw.post(plan+"/bulk", bulk)
	if st != http.StatusOK || !strings.Contains(body, "已有 2 人参加") {
		t.Fatalf("bulk enrolment = %d %s", st, snippet(body))
	}
	st, page := cw.get("/work/members/" + s.member)
	if st != http.StatusOK || !strings.Contains(page, "2027年度干警意外伤害保险") || !strings.Contains(page, "2027-01-01 – 2027-12-31") {
		t.Fatalf("member page = %d %s", st, snippet(page))
	}
	// Enrolling the unit again skips both, with the registry's reason.
	bulk.Del("confirm")
	if st, _, body := cw.post(plan+"/bulk", bulk); st != http.StatusOK || !strings.Contains(body, "将有 0 人参加") || !strings.Contains(body, `id="skipped"`) {
		t.Errorf("second preview = %d %s", st, snippet(body))
	}
}
