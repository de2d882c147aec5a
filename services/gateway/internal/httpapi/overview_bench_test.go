package httpapi

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// BenchmarkOverviewRender is the gateway's own share of the overview at
// province scale: the figures of 300 units over a year, their charts and
// tables rendered into the page (no service calls).
func BenchmarkOverviewRender(b *testing.B) {
	r := provinceReports(300)
	renderer, err := web.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	p := &web.Page{Lang: i18n.ZH, Title: "web.overview.title", Form: web.NewForm(), UnitNames: map[string]string{}}
	for i := range 300 {
		p.UnitNames[fmt.Sprintf("u%03d", i)] = fmt.Sprintf("第%03d派出所", i)
	}
	b.ReportAllocs()
	for b.Loop() {
		p.Data = overviewData{Sections: overviewSections(i18n.ZH, p, r)}
		w := httptest.NewRecorder()
		if err := renderer.Render(w, 200, "overview", p); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

func provinceReports(units int) overviewReports {
	var r overviewReports
	for m := 1; m <= 12; m++ {
		month := fmt.Sprintf("2026-%02d", m)
		for _, s := range severities {
			r.Injury.OpenedByMonth = append(r.Injury.OpenedByMonth, openedCount{Month: month, Severity: s, Cases: 300})
		}
		r.Grants.Disbursements = append(r.Grants.Disbursements, paidCount{Month: month, Payments: 900, Amount: 450000000})
	}
	for u := range units {
		id := fmt.Sprintf("u%03d", u)
		for _, s := range severities {
			r.Injury.OpenedByUnit = append(r.Injury.OpenedByUnit, openedCount{UnitID: id, Severity: s, Cases: 12})
		}
		r.Grants.DisbursementsByUnit = append(r.Grants.DisbursementsByUnit, paidCount{UnitID: id, Payments: 36, Amount: 1800000})
		r.Leave.Uptake = append(r.Leave.Uptake, struct {
			UnitID      string `json:"unit_id"`
			Year        int    `json:"year"`
			Entitled    int64  `json:"entitled"`
			Taken       int64  `json:"taken"`
			Unused      int64  `json:"unused"`
			ExtraFen    int64  `json:"extra_fen"`
			MissingPay  int64  `json:"missing_pay"`
			BasisPoints int64  `json:"basis_points"`
		}{UnitID: id, Year: 2026, Entitled: 3000, Taken: 2100, Unused: 900, ExtraFen: 82758600, BasisPoints: 7000})
	}
	return r
}
