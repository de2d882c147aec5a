package overview

import (
	"cmp"
	"slices"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// At province scale a per-unit chart would have 300 bars: unreadable, and
// most of the page's weight. The chart shows the web.ChartUnits units that
// matter most for its question (the lowest uptake, the most open cases)
// and says so above the chart and in the table's caption; the table below
// keeps every unit (folded away when long) and so does the XLSX. A unit
// not among them is one filter away.

// unitRank orders a per-unit chart's bars: key is what matters, lowest
// first when lowest, else highest first.
type unitRank struct {
	which  string
	key    func(web.ChartRow) int64
	lowest bool
}

var (
	rankMostCases  = unitRank{which: "most_cases", key: rowSum}
	rankMostOpen   = unitRank{which: "most_open", key: rowSum}
	rankMostPaid   = unitRank{which: "most_paid", key: rowSum}
	rankLowUptake  = unitRank{which: "lowest_uptake", key: rowFirst, lowest: true}
	rankMostUnused = unitRank{which: "most_unused", key: rowFirst}
	rankLowPlaces  = unitRank{which: "lowest_places", key: rowFirstShare, lowest: true}
	rankLowChecks  = unitRank{which: "lowest_checks", key: rowFirstShare, lowest: true}
)

func rowSum(r web.ChartRow) int64 {
	var s int64
	for _, v := range r.Values {
		s += max(v, 0)
	}
	return s
}

func rowFirst(r web.ChartRow) int64 {
	if len(r.Values) == 0 {
		return 0
	}
	return r.Values[0]
}

// rowFirstShare is the first series' share of the bar, in basis points
// (places used of the quota, checks done of the members).
func rowFirstShare(r web.ChartRow) int64 { return share(max(rowFirst(r), 0), rowSum(r)) }

// topUnits cuts fig's chart to the web.ChartUnits bars that rank first,
// when it has more, keeping equal bars in their order (by name).
func (f figures) topUnits(fig *web.Figure, rank unitRank) {
	ch := fig.Chart
	if ch == nil || len(ch.Rows) <= web.ChartUnits {
		return
	}
	all := len(ch.Rows)
	rows := slices.Clone(ch.Rows)
	slices.SortStableFunc(rows, func(a, b web.ChartRow) int {
		if rank.lowest {
			return cmp.Compare(rank.key(a), rank.key(b))
		}
		return cmp.Compare(rank.key(b), rank.key(a))
	})
	ch.Rows = rows[:web.ChartUnits]
	what := f.t("web.overview.top."+rank.which, web.ChartUnits, all)
	fig.Shown = f.t("web.overview.top_shown", what)
	ch.Title += " — " + what
	ch.Desc = fig.Shown + " " + ch.Desc
	fig.Table.Caption += " — " + f.t("web.overview.every_unit", all)
}
