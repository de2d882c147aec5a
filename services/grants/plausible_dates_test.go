package grants_test

import (
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/plausible"
)

// Issue 19: an export's from and to, a listing's from and to, and a rate's
// valid_from outside their plausible ranges are refused with the field
// and the range named, and nothing is stored.
func TestGrantsDatesOutsidePlausibleRanges(t *testing.T) {
	h := start(t)
	fundID, _ := h.setupFund(1000000)
	today := clock.Today(h.env.Clock)
	ledger, plan := plausible.Ledger(today), plausible.Plan(today)
	says := func(msg string, r plausible.Range) {
		t.Helper()
		if !strings.Contains(msg, r.Args()[0].(string)) || !strings.Contains(msg, r.Args()[1].(string)) {
			t.Errorf("message %q does not name the range %v", msg, r.Args())
		}
	}
	farFuture := today.AddDate(1, 0, 1).Format(plausible.DateLayout)

	// Exports.
	export := func(from, to string) map[string]any {
		return map[string]any{"fund_id": fundID, "from": from, "to": to, "format": "csv"}
	}
	says(wantField(t, h.do(&finance, "POST", "/exports", export("1999-12-31", "2026-12-31"), 0), "from", plausible.Code), ledger)
	says(wantField(t, h.do(&finance, "POST", "/exports", export("2026-01-01", "2206-12-31"), 0), "to", plausible.Code), ledger)
	says(wantField(t, h.do(&finance, "POST", "/exports", export(farFuture, farFuture), 0), "from", plausible.Code), ledger)
	wantField(t, h.do(&finance, "POST", "/exports", export("2026-02-01", "2026-01-01"), 0), "to", "grants.field.before_from")
	want(t, h.do(&finance, "POST", "/exports", export("2000-01-01", today.AddDate(1, 0, 0).Format(plausible.DateLayout)), 0), 202, "")

	// The ledger listing's period.
	entries := "/funds/" + fundID + "/entries"
	says(wantField(t, h.do(&finance, "GET", entries+"?from=0006-01-01", nil, 0), "from", plausible.Code), ledger)
	says(wantField(t, h.do(&finance, "GET", entries+"?to=2206-01-01", nil, 0), "to", plausible.Code), ledger)
	wantField(t, h.do(&finance, "GET", entries+"?to=yesterday", nil, 0), "to", "grants.field.invalid_date")
	want(t, h.do(&finance, "GET", entries+"?from=2000-01-01", nil, 0), 200, "")

	// The as-of date of the fund's position and trial balance.
	for _, view := range []string{"/position", "/trial-balance"} {
		says(wantField(t, h.do(&finance, "GET", "/funds/"+fundID+view+"?as_of=0026-06-30", nil, 0), "as_of", plausible.Code), ledger)
		want(t, h.do(&finance, "GET", "/funds/"+fundID+view+"?as_of=2026-06-30", nil, 0), 200, "")
	}

	// Rates.
	rate := func(validFrom string) map[string]any {
		return map[string]any{"kind": "regional_monthly_wage", "valid_from": validFrom, "amount": 850000}
	}
	says(wantField(t, h.do(&admin, "PUT", "/rates", rate("1949-12-31"), 0), "valid_from", plausible.Code), plan)
	says(wantField(t, h.do(&admin, "PUT", "/rates", rate(today.AddDate(2, 0, 1).Format(plausible.DateLayout)), 0), "valid_from", plausible.Code), plan)
	wantField(t, h.do(&admin, "PUT", "/rates", rate("x"), 0), "valid_from", "grants.field.invalid_date")
	rates := decode[listOf[map[string]any]](t, h.do(&admin, "GET", "/rates", nil, 0)).Items
	for _, r := range rates {
		if r["valid_from"] == "1949-12-31" {
			t.Errorf("a refused rate was stored: %v", r)
		}
	}
	want(t, h.do(&admin, "PUT", "/rates", rate(today.AddDate(2, 0, 0).Format(plausible.DateLayout)), 0), 200, "")
}
