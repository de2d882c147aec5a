package overview

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// TestPerUnitChartsShowTheUnitsThatMatter: with 300 units the uptake chart
// draws the 15 lowest, lowest first, and says so; its table keeps all 300
// rows, folded; with 10 units nothing is cut, sorted or folded.
func TestPerUnitChartsShowTheUnitsThatMatter(t *testing.T) {
	t.Parallel()
	renderer, err := web.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		lang       i18n.Lang
		units      int
		wantBars   int
		wantShown  string
		wantFolded bool
	}{
		{name: "province zh", lang: i18n.ZH, units: 300, wantBars: 15, wantShown: "休假率最低的 15 个单位（共 300 个）", wantFolded: true},
		{name: "province en", lang: i18n.EN, units: 300, wantBars: 15, wantShown: "the 15 units with the lowest uptake (of 300)", wantFolded: true},
		{name: "county", lang: i18n.ZH, units: 10, wantBars: 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := provinceReports(t, tc.units)
			// uptake from 50.0% up, in a scrambled order of the units
			for i := range r.Leave.Uptake {
				r.Leave.Uptake[i].BasisPoints = int64(5000 + (i*7919)%tc.units*10)
			}
			// provinceReports sets 2026's target: 75%
			p := &web.Page{Lang: tc.lang, Title: "web.overview.title", Form: web.NewForm(), UnitNames: map[string]string{}}
			for i := range tc.units {
				p.UnitNames[fmt.Sprintf("u%03d", i)] = fmt.Sprintf("第%03d派出所", i)
			}
			sections := overviewSections(tc.lang, p, r)
			up := figureByID(t, sections, "uptake")
			if got := len(up.Chart.Rows); got != tc.wantBars {
				t.Fatalf("uptake bars = %d, want %d", got, tc.wantBars)
			}
			if got := len(up.Table.Rows); got != tc.units {
				t.Errorf("uptake table rows = %d, want every unit (%d)", got, tc.units)
			}
			var want []int64
			for _, u := range r.Leave.Uptake {
				want = append(want, u.BasisPoints)
			}
			if tc.wantShown != "" {
				slices.Sort(want) // cut: the lowest first; else by name, as they came
			}
			var got []int64
			for _, row := range up.Chart.Rows {
				got = append(got, row.Values[0])
			}
			if !slices.Equal(got, want[:tc.wantBars]) {
				t.Errorf("uptake bars = %v, want %v", got, want[:tc.wantBars])
			}
			if tc.wantShown == "" {
				if up.Shown != "" || up.Table.Folded() {
					t.Errorf("nothing is cut, yet shown %q folded %v", up.Shown, up.Table.Folded())
				}
			} else {
				for what, s := range map[string]string{"shown": up.Shown, "svg title": up.Chart.Title, "svg desc": up.Chart.Desc} {
					if !strings.Contains(s, tc.wantShown) {
						t.Errorf("%s %q does not say %q", what, s, tc.wantShown)
					}
				}
				if !strings.Contains(up.Table.Caption, "300") {
					t.Errorf("table caption %q does not say it lists all 300 units", up.Table.Caption)
				}
			}
			// every per-unit chart is cut the same way
			for _, id := range []string{"cases-by-unit", "open-by-stage", "disbursements-by-unit", "unused", "recuperation", "health"} {
				if fig := figureByID(t, sections, id); fig.Chart != nil && len(fig.Chart.Rows) > web.ChartUnits {
					t.Errorf("%s draws %d bars", id, len(fig.Chart.Rows))
				}
			}

			p.Data = overviewData{Sections: sections}
			w := httptest.NewRecorder()
			if err := renderer.Render(w, 200, "overview", p); err != nil {
				t.Fatal(err)
			}
			page := w.Body.String()
			fig := page[strings.Index(page, `<figure class="card overview-figure" id="uptake">`):]
			fig = fig[:strings.Index(fig, `</figure>`)]
			if got := strings.Count(fig, `class="ov-label"`); got != tc.wantBars {
				t.Errorf("uptake SVG labels = %d, want %d", got, tc.wantBars)
			}
			if got := strings.Count(fig, `<th scope="row">`); got != tc.units {
				t.Errorf("uptake table on the page has %d rows, want %d", got, tc.units)
			}
			if folded := strings.Contains(fig, `<details class="ov-full" id="uptake-full">`); folded != tc.wantFolded {
				t.Errorf("uptake table folded = %v, want %v", folded, tc.wantFolded)
			}
			if tc.wantShown != "" && !strings.Contains(fig, tc.wantShown) {
				t.Errorf("the page does not say which units the chart shows")
			}
		})
	}
}

// TestRankingKeepsNameOrderOnTies: equal bars keep their order by name,
// so the same figures always draw the same chart.
func TestRankingKeepsNameOrderOnTies(t *testing.T) {
	t.Parallel()
	f := figures{lang: i18n.ZH, p: &web.Page{}}
	fig := web.Figure{Chart: &web.Chart{}}
	for i := range 40 {
		fig.Chart.Rows = append(fig.Chart.Rows, web.ChartRow{Label: fmt.Sprintf("u%02d", i), Values: []int64{int64(i % 2), 1}})
	}
	f.topUnits(&fig, rankMostOpen)
	var got []string
	for _, r := range fig.Chart.Rows {
		got = append(got, r.Label)
	}
	want := []string{"u01", "u03", "u05", "u07", "u09", "u11", "u13", "u15", "u17", "u19", "u21", "u23", "u25", "u27", "u29"}
	if !slices.Equal(got, want) {
		t.Errorf("bars = %v, want %v", got, want)
	}
}

func figureByID(t *testing.T, sections []overviewSection, id string) web.Figure {
	t.Helper()
	for _, s := range sections {
		for _, f := range s.Figures {
			if f.ID == id {
				return f
			}
		}
	}
	t.Fatalf("no figure %s", id)
	return web.Figure{}
}
