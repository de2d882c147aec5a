package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// The work overview's (工作概览) charts and tables. Each indicator is one
// Figure: a chart drawn here as SVG, on the server (no JavaScript), and a
// table with the same figures below it, which is the chart's text
// alternative and what the XLSX export writes.
//
// A chart is horizontal bars, one per row (a month, a unit, a stage), each
// split into up to four series told apart by pattern as well as colour
// (solid, hatched, dotted, outlined), with the row's amount written at the
// bar's end, an axis with ticks in the chart's unit, and an optional
// target line with its label. The SVG scales to the page and prints on A4
// landscape (app.css).

// Figure is one indicator: its chart and its table.
type Figure struct {
	ID    string
	Title string
	// Note explains what is counted (shown under the title).
	Note string
	// Shown says which rows the chart shows when it shows only some
	// (ChartUnits of many units); "" when it shows every row.
	Shown string
	Chart *Chart
	Table Table
}

// ChartUnits is how many units a per-unit chart shows at most: the ones
// that matter most for its question. A table longer than that is folded
// (Table.Folded), and still lists every row.
const ChartUnits = 15

// Folded tells whether the page folds the table away (in a <details>):
// it is longer than a chart's ChartUnits rows.
func (t Table) Folded() bool { return len(t.Rows) > ChartUnits }

// Table is a figure's table: a caption, a heading row and rows of cells.
type Table struct {
	Caption string
	Head    []string
	// NumCols marks the columns holding numbers (right-aligned).
	NumCols map[int]bool
	Rows    [][]Cell
}

// Cell is a table cell: the text shown, and the number the export writes
// as a number (nil: the text).
type Cell struct {
	Text  string
	Value any
	// Flag marks a cell to stand out (a unit below target), with Text
	// saying so in words: never by colour alone.
	Flag bool
}

// Text is a cell of text.
func Text(s string) Cell { return Cell{Text: s} }

// Num is a cell of a count.
func Num(n int64) Cell { return Cell{Text: strconv.FormatInt(n, 10), Value: n} }

// Chart is a horizontal bar chart.
type Chart struct {
	// Title and Desc go into the SVG's <title> and <desc>.
	Title, Desc string
	// Unit names the axis's unit ("件", "元", "%").
	Unit string
	// Series are the series' labels, in stacking order: solid, hatched,
	// dotted, outlined (max 4; "" for one not used).
	Series []string
	Rows   []ChartRow
	// Max is the axis's end; 0 takes the largest row total.
	Max int64
	// Target draws a vertical line at this value, labelled TargetLabel
	// (0: none).
	Target      int64
	TargetLabel string
	// Format writes a value on the axis and at a bar's end.
	Format func(int64) string
}

// ChartRow is one bar: its label and one value per series.
type ChartRow struct {
	Label  string
	Values []int64
	// Note is written after the amount ("低于目标"): the words that carry
	// what colour would.
	Note string
}

// Geometry of a chart, in SVG user units (the SVG scales to its box).
const (
	chartWidth  = 800
	chartLabelW = 170
	chartBarW   = 400
	chartRowH   = 30
	chartBarH   = 18
	chartTop    = 8
	chartAxisH  = 40
	maxSeries   = 4
)

// SVG draws the chart. The <svg> is hidden from assistive technology: its
// table below carries the same figures in text (TestChartsHaveTheirDataInText).
func (c *Chart) SVG(id string) template.HTML {
	if c == nil || len(c.Rows) == 0 {
		return ""
	}
	format := c.Format
	if format == nil {
		format = func(v int64) string { return strconv.FormatInt(v, 10) }
	}
	max := c.Max
	for _, r := range c.Rows {
		var sum int64
		for _, v := range r.Values {
			sum += max64(v, 0)
		}
		max = max64(max, sum)
	}
	max = max64(max, c.Target)
	max = niceCeil(max)
	scale := func(v int64) float64 { return float64(chartBarW) * float64(v) / float64(max) }
	height := chartTop + len(c.Rows)*chartRowH + chartAxisH

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" aria-hidden="true" focusable="false" class="ov-chart" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet">`, chartWidth, height)
	fmt.Fprintf(&b, `<title>%s</title><desc>%s</desc>`, esc(c.Title), esc(c.Desc))
	// Patterns: series 1 hatched, 2 dotted; 0 solid, 3 outlined.
	fmt.Fprintf(&b, `<defs><pattern id="%s-p1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="ov-s1"/><line x1="0" y1="0" x2="0" y2="6" class="ov-hatch"/></pattern>`+
		`<pattern id="%s-p2" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" class="ov-s2"/><circle cx="3" cy="3" r="1.4" class="ov-dot"/></pattern></defs>`, id, id)
	axisY := chartTop + len(c.Rows)*chartRowH
	// grid and axis
	for i := 0; i <= 4; i++ {
		x := chartLabelW + float64(chartBarW*i)/4
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="chart-grid"/>`, x, chartTop, x, axisY)
		anchor := "middle"
		if i == 0 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="ov-axis"/><text x="%.1f" y="%d" text-anchor="%s" class="ov-tick">%s</text>`,
			x, axisY, x, axisY+5, x, axisY+20, anchor, esc(format(max*int64(i)/4)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" class="ov-axis"/>`, chartLabelW, axisY, chartLabelW+chartBarW, axisY)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="ov-tick">%s</text>`, chartLabelW+chartBarW, axisY+36, esc(c.Unit))
	for i, r := range c.Rows {
		y := chartTop + i*chartRowH + (chartRowH-chartBarH)/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" class="ov-label">%s</text>`, chartLabelW-8, y+chartBarH-4, esc(truncate(r.Label, 14)))
		x := float64(chartLabelW)
		var sum int64
		for s, v := range r.Values {
			if v <= 0 || s >= maxSeries {
				continue
			}
			w := scale(v)
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" %s/>`, x, y, w, chartBarH, seriesFill(id, s))
			x += w
			sum += v
		}
		text := format(sum)
		if r.Note != "" {
			text += " · " + r.Note
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" class="ov-amount">%s</text>`, x+6, y+chartBarH-4, esc(text))
	}
	if c.Target > 0 {
		x := chartLabelW + scale(c.Target)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="ov-target"/><text x="%.1f" y="%d" text-anchor="middle" class="ov-tick">%s</text>`,
			x, chartTop-4, x, axisY, x, axisY+36, esc(c.TargetLabel))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // every text in it went through esc
}

// Legend is the chart's series as keys with their labels (the same
// patterns as the bars), for the figure's caption.
func (c *Chart) Legend(id string) template.HTML {
	if c == nil || len(c.Series) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<span class="legend">`)
	for s, label := range c.Series {
		if s >= maxSeries {
			break
		}
		if label == "" {
			continue // a series the chart does not use (keeps the patterns in place)
		}
		fmt.Fprintf(&b, `<span><svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 16 16"><rect x="0.5" y="0.5" width="15" height="15" %s/></svg> %s</span>`,
			seriesFill(id, s), esc(label))
	}
	b.WriteString(`</span>`)
	return template.HTML(b.String()) //nolint:gosec // labels went through esc
}

func seriesFill(id string, s int) string {
	switch s {
	case 1:
		return `fill="url(#` + id + `-p1)" class="ov-s1-edge"`
	case 2:
		return `fill="url(#` + id + `-p2)" class="ov-s2-edge"`
	case 3:
		return `class="ov-s3"`
	}
	return `class="ov-s0"`
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten, so the
// axis's four ticks are round numbers.
func niceCeil(v int64) int64 {
	if v <= 4 {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(float64(v))))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if c := int64(m * p); c >= v && c%4 == 0 {
			return c
		}
	}
	return (v + 3) / 4 * 4
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// HTML writes the table, id'd "<id>-table": the first cell of a row is its
// heading, number columns are right-aligned, a flagged cell is strong
// (with a sign from app.css, never colour alone). It is written here, not
// in the template: at province scale the overview's tables hold thousands
// of cells, and the template's reflection per cell was most of the page's
// CPU (BenchmarkOverviewRender).
func (t Table) HTML(id string) template.HTML {
	var b strings.Builder
	b.Grow(64 * (len(t.Rows) + 1) * (len(t.Head) + 1))
	fmt.Fprintf(&b, `<table id="%s-table"><caption>%s</caption><thead><tr>`, esc(id), esc(t.Caption))
	for i, h := range t.Head {
		b.WriteString(`<th scope="col"`)
		if t.NumCols[i] {
			b.WriteString(` class="num"`)
		}
		b.WriteString(`>` + esc(h) + `</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, row := range t.Rows {
		b.WriteString(`<tr>`)
		for i, c := range row {
			switch {
			case i == 0:
				b.WriteString(`<th scope="row">` + esc(c.Text) + `</th>`)
				continue
			case t.NumCols[i]:
				b.WriteString(`<td class="num">`)
			default:
				b.WriteString(`<td>`)
			}
			if c.Flag {
				b.WriteString(`<strong class="flag">` + esc(c.Text) + `</strong>`)
			} else {
				b.WriteString(esc(c.Text))
			}
			b.WriteString(`</td>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return template.HTML(b.String()) //nolint:gosec // every text in it went through esc
}
