package overview

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// BenchmarkOverviewRender is the gateway's own share of the overview at
// province scale: the figures of 300 units over a year, their charts and
// tables rendered into the page (no service calls).
func BenchmarkOverviewRender(b *testing.B) {
	r := provinceReports(b, 300)
	renderer, err := web.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	p := provincePage(300)
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

// BenchmarkOverviewWorkbook is the XLSX export of the same figures: every
// table of 300 units, a sheet each (no service calls).
func BenchmarkOverviewWorkbook(b *testing.B) {
	r := provinceReports(b, 300)
	p := provincePage(300)
	b.ReportAllocs()
	for b.Loop() {
		body, err := overviewWorkbook(overviewSections(i18n.ZH, p, r))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
	}
}

func provincePage(units int) *web.Page {
	p := &web.Page{Lang: i18n.ZH, Title: "web.overview.title", Form: web.NewForm(), UnitNames: map[string]string{}}
	for i := range units {
		p.UnitNames[fmt.Sprintf("u%03d", i)] = fmt.Sprintf("第%03d派出所", i)
	}
	return p
}

// provinceReports is what the three services answer for a year of a
// province (the read models of TestOverviewLatencyAtProvinceScale): every
// section, with units rows where the section is per unit.
func provinceReports(tb testing.TB, units int) overviewReports {
	type m = map[string]any
	var inj, gr, lv struct{ rows map[string][]m }
	inj.rows, gr.rows, lv.rows = map[string][]m{}, map[string][]m{}, map[string][]m{}
	for mo := 1; mo <= 12; mo++ {
		month := fmt.Sprintf("2026-%02d", mo)
		for _, s := range severities {
			inj.rows["opened_by_month"] = append(inj.rows["opened_by_month"], m{"month": month, "severity": s, "cases": 300 * (1 + mo%3)})
		}
		for _, l := range escalations {
			inj.rows["escalations"] = append(inj.rows["escalations"], m{"month": month, "level": l, "escalations": 300})
		}
		gr.rows["disbursements"] = append(gr.rows["disbursements"], m{"month": month, "payments": 900, "amount": 450000000})
		gr.rows["fund_position"] = append(gr.rows["fund_position"], m{"fiscal_year": 2026, "month": month, "appropriation": 300000000,
			"committed": 10000000 * mo, "disbursed": 8000000 * mo})
	}
	for i, metric := range []string{"acknowledgement", "determination", "handoff"} {
		inj.rows["durations"] = append(inj.rows["durations"], m{"metric": metric, "cases": 18000, "median": 1800 * (i + 1), "p90": 7200 * (i + 1)})
	}
	for _, k := range []string{"acknowledgement", "decision", "handoff", "unit_filing"} {
		inj.rows["sla"] = append(inj.rows["sla"], m{"kind": k, "met": 32400, "breached": 3600})
	}
	for i, code := range []string{"hardship", "martyr", "disabled", "medical"} {
		gr.rows["programs"] = append(gr.rows["programs"], m{"fiscal_year": 2026, "code": code, "name_zh": "项目" + code, "name_en": code,
			"allocation": 80000000, "committed": 10000000 * (i + 1), "disbursed": 5000000 * (i + 1)})
	}
	lv.rows["targets"] = []m{{"year": 2026, "basis_points": 7500}}
	for u := range units {
		id := fmt.Sprintf("u%03d", u)
		for _, s := range severities {
			inj.rows["opened_by_unit"] = append(inj.rows["opened_by_unit"], m{"unit_id": id, "severity": s, "cases": 12 + u%7})
		}
		for _, st := range openStages[:3] {
			inj.rows["open_by_stage"] = append(inj.rows["open_by_stage"], m{"unit_id": id, "state": st, "cases": 2 + u%5})
		}
		gr.rows["disbursements_by_unit"] = append(gr.rows["disbursements_by_unit"], m{"unit_id": id, "payments": 36, "amount": 1800000 + 100*u})
		for _, st := range waitingSteps {
			for _, age := range waitingAges {
				gr.rows["waiting"] = append(gr.rows["waiting"], m{"unit_id": id, "state": st, "age": age, "applications": 1 + u%4})
			}
		}
		lv.rows["uptake"] = append(lv.rows["uptake"], m{"unit_id": id, "year": 2026, "entitled": 3000, "taken": 2100 - u, "unused": 900 + u,
			"extra_fen": 82758600, "missing_pay": 3, "basis_points": (2100 - u) * 10000 / 3000})
		lv.rows["recuperation"] = append(lv.rows["recuperation"], m{"unit_id": id, "year": 2026, "places": 10, "used": u % 11})
		lv.rows["health_checks"] = append(lv.rows["health_checks"], m{"unit_id": id, "year": 2026, "active": 300, "booked": 20, "completed": 250 - u%50, "overdue": u % 50})
	}
	// Through the generated answers, as the page reads them.
	var injr injuryapi.InjuryOverviewReportResponse
	var grr grantsapi.GrantsOverviewReportResponse
	var lvr leaveapi.LeaveOverviewReportResponse
	for _, c := range []struct {
		rows map[string][]m
		dst  any
	}{{inj.rows, &injr.JSON200}, {gr.rows, &grr.JSON200}, {lv.rows, &lvr.JSON200}} {
		b, err := json.Marshal(c.rows)
		if err != nil {
			tb.Fatal(err)
		}
		if err := json.Unmarshal(b, c.dst); err != nil {
			tb.Fatal(err)
		}
	}
	var r overviewReports
	var err error
	if r.Injury, err = injuryReportOf(&injr); err != nil {
		tb.Fatal(err)
	}
	if r.Grants, err = grantsReportOf(&grr); err != nil {
		tb.Fatal(err)
	}
	if r.Leave, err = leaveReportOf(&lvr); err != nil {
		tb.Fatal(err)
	}
	return r
}
