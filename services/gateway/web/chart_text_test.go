package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestChartsHaveTheirDataInText: an SVG chart is hidden from assistive
// technology (its <title>s are unreachable inside role=img and by
// keyboard), so every template that draws one must carry the same figures
// in a table with a caption, and must tell its bars apart by more than
// colour (a pattern or an outline). Today that is the finance chart; a new
// chart fails here until it has both.
func TestChartsHaveTheirDataInText(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("templates/*/*.html")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("templates/*.html")
	files = append(files, more...)
	charts := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		for _, svg := range regexp.MustCompile(`(?s)<svg\b[^>]*>.*?</svg>`).FindAllString(src, -1) {
			if strings.Count(svg, "<rect") < 2 && !strings.Contains(svg, "<path") {
				continue // an icon, not a chart
			}
			charts++
			open := svg[:strings.Index(svg, ">")]
			if !strings.Contains(open, `aria-hidden="true"`) {
				t.Errorf("%s: a chart's <svg> is not aria-hidden, yet its text alternative is the table", f)
			}
			after := src[strings.Index(src, svg)+len(svg):]
			table := regexp.MustCompile(`(?s)<table\b[^>]*>\s*<caption>`).FindStringIndex(after)
			if table == nil {
				t.Errorf("%s: a chart without a captioned data table after it", f)
			}
			if !strings.Contains(svg, "<pattern") && !strings.Contains(svg, "stroke") && !strings.Contains(svg, "url(#") {
				t.Errorf("%s: a chart whose bars differ by colour alone (no pattern or outline)", f)
			}
		}
	}
	if charts == 0 {
		t.Fatal("found no chart: the finance chart should be one")
	}
}

// TestRemainingBarIsOutlined: the "remaining" bar's fill (#c9d3dc) is
// 1.5:1 on white, so its outline must reach 3:1 (SC 1.4.11).
func TestRemainingBarIsOutlined(t *testing.T) {
	t.Parallel()
	css, err := os.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\.bar-remaining\s*\{[^}]*stroke:\s*(#[0-9a-fA-F]{6})`).FindStringSubmatch(string(css))
	if m == nil {
		t.Fatal("the remaining bar has no outline (stroke) in app.css")
	}
	if c := contrast(t, m[1], "#ffffff"); c < 3 {
		t.Errorf("the remaining bar's outline %s is %.2f:1 on white, want 3:1", m[1], c)
	}
}
