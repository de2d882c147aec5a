package finance

import (
	"strconv"
	"strings"
)

// The position chart of the finance page: one horizontal stacked bar per
// programme, drawn on the server as SVG.

// position is a programme's money on a day: allocated, committed, paid,
// left.
type position struct {
	ProgramID    string
	Appropriated int64
	Committed    int64
	Disbursed    int64
	Remaining    int64
}

// chartBar is one program's bar in the position chart, in SVG units.
type chartBar struct {
	Label                           string
	Y                               int
	CommittedW, DisbursedW, RemainW int
	// Allocated is the programme's allocation; Unpaid what is committed
	// and not yet paid.
	Allocated, Unpaid               int64
	Committed, Disbursed, Remaining int64
}

// chartTick is one mark of the chart's amount axis.
type chartTick struct {
	X     int
	Label string
}

// chartWidth is the bars' full length in SVG units: 400 so a phone shows
// the chart at about its natural size. chartRow is one programme's
// height: its label, its bar and the amounts under it.
const (
	chartWidth = 400
	chartRow   = 72
	axisHeight = 34
)

// chartMax is the amount the full bar length stands for: the largest
// allocation, rounded up to a round figure so the axis reads easily.
func chartMax(ps []position) int64 {
	var top int64 = 1
	for _, p := range ps {
		top = max(top, p.Appropriated, p.Committed+p.Remaining)
	}
	// a round step: 1, 2, 2.5 or 5 times a power of ten yuan (in fen),
	// four steps to the end of the axis
	for p := int64(10); ; p *= 10 {
		for _, m := range []int64{10, 20, 25, 50} {
			if step := m * p; step*4 >= top {
				return step * 4
			}
		}
	}
}

// chartAxis is the amount axis under the bars: five marks from zero to
// chartMax, in yuan.
func chartAxis(ps []position, top int) ([]chartTick, int) {
	m := chartMax(ps)
	ticks := make([]chartTick, 0, 5)
	for i := int64(0); i <= 4; i++ {
		ticks = append(ticks, chartTick{X: int(i * chartWidth / 4), Label: compactYuan(m * i / 4)})
	}
	return ticks, top
}

// compactYuan writes fen as whole yuan with thousands separators and no
// decimals ("¥200,000"), short enough for an axis mark.
func compactYuan(fen int64) string {
	s := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "¥" + b.String()
}

// chart lays out one horizontal stacked bar per program: disbursed,
// committed but not yet paid, and remaining, scaled to a round figure
// above the largest allocation (the axis' end). Drawn on the server as
// SVG, so it needs no script; the amounts are written under each bar and
// the page gives them again as a table.
func chart(ps []position, names map[string]string) ([]chartBar, int) {
	const width, row = chartWidth, chartRow
	maxTotal := chartMax(ps)
	scale := func(v int64) int {
		if v <= 0 {
			return 0
		}
		return int(v * width / maxTotal)
	}
	bars := make([]chartBar, 0, len(ps))
	for i, p := range ps {
		label := names[p.ProgramID]
		if label == "" {
			label = p.ProgramID
		}
		unpaid := p.Committed - p.Disbursed
		bars = append(bars, chartBar{
			Label: label, Y: i * row,
			DisbursedW: scale(p.Disbursed), CommittedW: scale(unpaid), RemainW: scale(p.Remaining),
			Allocated: p.Appropriated, Unpaid: unpaid,
			Committed: p.Committed, Disbursed: p.Disbursed, Remaining: p.Remaining,
		})
	}
	return bars, len(ps)*row + 4
}
