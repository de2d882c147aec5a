package overview

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

var (
	severities   = []string{"critical", "serious", "minor"}
	escalations  = []string{"unit_head", "committee"}
	openStages   = []string{"triage", "treatment", "determination_filing", "determination_decided", "disability_grading"}
	waitingSteps = []string{"submitted", "reviewed", "approved"}
	waitingAges  = []string{"0-7", "8-30", "31-90", "91+"}
)

// figures builds the page's figures, in the order of the issue: injury,
// grants, leave, care.
type figures struct {
	lang i18n.Lang
	p    *web.Page
}

func (f figures) t(key string, args ...any) string { return i18n.T(f.lang, key, args...) }

func (f figures) yuan(fen int64) string { return money.Fen(fen).String() }

// yuanCell is an amount: shown with its sign, exported as a number of yuan.
func (f figures) yuanCell(fen int64) web.Cell {
	return web.Cell{Text: f.yuan(fen), Value: float64(fen) / 100}
}

// pct is basis points as a percentage with one decimal.
func pct(bp int64) string { return fmt.Sprintf("%d.%d%%", bp/100, bp%100/10) }

func pctCell(bp int64) web.Cell { return web.Cell{Text: pct(bp), Value: float64(bp) / 10000} }

// share is part ÷ whole in basis points, rounded half up; 0 of 0 is 0.
func share(part, whole int64) int64 {
	if whole <= 0 {
		return 0
	}
	return (part*20000 + whole) / (2 * whole)
}

func (f figures) hours(seconds int64) string {
	return f.t("web.overview.hours", fmt.Sprintf("%.1f", float64(seconds)/3600))
}

func overviewSections(lang i18n.Lang, p *web.Page, r overviewReports) []overviewSection {
	f := figures{lang: lang, p: p}
	return []overviewSection{
		{ID: "injury", Title: f.t("web.overview.injury"), Figures: f.injury(r.Injury)},
		{ID: "grants", Title: f.t("web.overview.grants"), Figures: f.grants(r.Grants)},
		{ID: "leave", Title: f.t("web.overview.leave"), Figures: f.leave(r.Leave)},
		{ID: "care", Title: f.t("web.overview.care"), Figures: f.care(r.Leave)},
	}
}

// matrix sums values by row key and column key, keeping rows in first-seen
// order.
type matrix struct {
	rows []string
	v    map[string]map[string]int64
}

func (m *matrix) add(row, col string, n int64) {
	if m.v == nil {
		m.v = map[string]map[string]int64{}
	}
	if m.v[row] == nil {
		m.v[row] = map[string]int64{}
		m.rows = append(m.rows, row)
	}
	m.v[row][col] += n
}

func (m *matrix) values(row string, cols []string) []int64 {
	out := make([]int64, len(cols))
	for i, c := range cols {
		out[i] = m.v[row][c]
	}
	return out
}

// countFigure is a chart of rows split by cols and its table (row, each
// col, total).
func (f figures) countFigure(id, title, note, rowHead string, m matrix, cols []string, colKey string, label func(string) string) web.Figure {
	fig := web.Figure{ID: id, Title: title, Note: note}
	ch := &web.Chart{Title: title, Desc: note, Unit: f.t("web.overview.unit_count")}
	head := []string{rowHead}
	for _, c := range cols {
		ch.Series = append(ch.Series, f.t(colKey+c))
		head = append(head, f.t(colKey+c))
	}
	head = append(head, f.t("web.overview.total"))
	fig.Table = web.Table{Caption: title, Head: head, NumCols: numCols(1, len(head))}
	for _, row := range m.rows {
		vals := m.values(row, cols)
		ch.Rows = append(ch.Rows, web.ChartRow{Label: label(row), Values: vals})
		cells := []web.Cell{web.Text(label(row))}
		var total int64
		for _, v := range vals {
			cells = append(cells, web.Num(v))
			total += v
		}
		fig.Table.Rows = append(fig.Table.Rows, append(cells, web.Num(total)))
	}
	if len(ch.Rows) > 0 {
		fig.Chart = ch
	}
	return fig
}

func numCols(from, to int) map[int]bool {
	out := map[int]bool{}
	for i := from; i < to; i++ {
		out[i] = true
	}
	return out
}

func (f figures) month(m string) string { return shanghaiMonth(f.lang, m) }

func (f figures) injury(r injuryReport) []web.Figure {
	var byMonth, byUnit, esc, stages matrix
	for _, o := range r.OpenedByMonth {
		byMonth.add(o.Month, o.Severity, o.Cases)
	}
	opened := slices.Clone(r.OpenedByUnit)
	sort.SliceStable(opened, func(i, j int) bool { return f.p.UnitName(opened[i].UnitID) < f.p.UnitName(opened[j].UnitID) })
	for _, o := range opened {
		byUnit.add(o.UnitID, o.Severity, o.Cases)
	}
	for _, e := range r.Escalations {
		esc.add(e.Month, e.Level, e.Escalations)
	}
	for _, s := range r.OpenByStage {
		stages.add(s.UnitID, s.State, s.Cases)
	}
	out := []web.Figure{
		f.countFigure("cases-by-month", f.t("web.overview.cases_by_month"), f.t("web.overview.cases_note"), f.t("web.overview.month"),
			byMonth, severities, "web.injury.severity.", f.month),
		f.countFigure("cases-by-unit", f.t("web.overview.cases_by_unit"), f.t("web.overview.cases_note"), f.t("web.overview.unit"),
			byUnit, severities, "web.injury.severity.", f.p.UnitName),
		f.durationFigure(r, "durations-hours", []string{"acknowledgement", "handoff"}),
		f.durationFigure(r, "durations-days", []string{"determination"}),
		f.slaFigure(r),
		f.countFigure("escalations", f.t("web.overview.escalations"), f.t("web.overview.escalations_note"), f.t("web.overview.month"),
			esc, escalations, "web.overview.level.", f.month),
		f.countFigure("open-by-stage", f.t("web.overview.open_by_stage"), f.t("web.overview.open_note"), f.t("web.overview.unit"),
			stages, openStages, "web.overview.stage.", f.p.UnitName),
	}
	f.topUnits(&out[1], rankMostCases)
	f.topUnits(&out[6], rankMostOpen)
	return out
}

// durationFigure charts the median and p90 of metrics over every unit and
// tables them per unit too.
func (f figures) durationFigure(r injuryReport, id string, metrics []string) web.Figure {
	days := metrics[0] == "determination"
	title := f.t("web.overview.durations_hours")
	format := func(v int64) string { return f.hours(v) }
	unit := f.t("web.overview.unit_hours")
	if days {
		title, unit = f.t("web.overview.durations_days"), f.t("web.overview.unit_days")
		format = func(v int64) string { return f.t("web.overview.days", v) }
	}
	fig := web.Figure{ID: id, Title: title, Note: f.t("web.overview.durations_note")}
	ch := &web.Chart{Title: title, Desc: fig.Note, Unit: unit, Format: format,
		Series: []string{f.t("web.overview.median"), f.t("web.overview.p90")}}
	fig.Table = web.Table{Caption: title, NumCols: numCols(1, 4),
		Head: []string{f.t("web.overview.metric"), f.t("web.overview.cases"), f.t("web.overview.median"), f.t("web.overview.p90")}}
	valueCell := func(v int64) web.Cell {
		if days {
			return web.Cell{Text: format(v), Value: v}
		}
		return web.Cell{Text: format(v), Value: float64(v) / 3600}
	}
	for _, d := range r.Durations {
		if !slices.Contains(metrics, d.Metric) {
			continue
		}
		label := f.t("web.overview.metric." + d.Metric)
		ch.Rows = append(ch.Rows,
			web.ChartRow{Label: label + " " + f.t("web.overview.median"), Values: []int64{d.Median}},
			web.ChartRow{Label: label + " P90", Values: []int64{0, d.P90}})
		fig.Table.Rows = append(fig.Table.Rows, []web.Cell{web.Text(label), web.Num(d.Cases), valueCell(d.Median), valueCell(d.P90)})
	}
	if len(ch.Rows) > 0 {
		fig.Chart = ch
	}
	return fig
}

func (f figures) slaFigure(r injuryReport) web.Figure {
	title := f.t("web.overview.sla")
	fig := web.Figure{ID: "sla", Title: title, Note: f.t("web.overview.sla_note")}
	ch := &web.Chart{Title: title, Desc: fig.Note, Unit: f.t("web.overview.unit_clocks"),
		Series: []string{f.t("web.overview.met"), f.t("web.overview.breached")}}
	fig.Table = web.Table{Caption: title, NumCols: numCols(1, 4),
		Head: []string{f.t("web.overview.clock"), f.t("web.overview.met"), f.t("web.overview.breached"), f.t("web.overview.compliance")}}
	var met, breached int64
	for _, s := range r.SLA {
		bp := share(s.Met, s.Met+s.Breached)
		label := f.t("web.overview.clock." + s.Kind)
		ch.Rows = append(ch.Rows, web.ChartRow{Label: label, Values: []int64{s.Met, s.Breached}, Note: f.t("web.overview.met_share", pct(bp))})
		fig.Table.Rows = append(fig.Table.Rows, []web.Cell{web.Text(label), web.Num(s.Met), web.Num(s.Breached), pctCell(bp)})
		met, breached = met+s.Met, breached+s.Breached
	}
	if len(r.SLA) > 0 {
		fig.Table.Rows = append(fig.Table.Rows, []web.Cell{web.Text(f.t("web.overview.total")), web.Num(met), web.Num(breached), pctCell(share(met, met+breached))})
		fig.Chart = ch
	}
	return fig
}

func (f figures) grants(r grantsReport) []web.Figure {
	out := make([]web.Figure, 0, 4)
	// the fund over time
	title := f.t("web.overview.fund")
	fund := web.Figure{ID: "fund", Title: title, Note: f.t("web.overview.fund_note")}
	ch := &web.Chart{Title: title, Desc: fund.Note, Unit: f.t("web.overview.unit_yuan"), Format: f.yuan,
		Series: []string{f.t("web.overview.disbursed"), f.t("web.overview.committed_unpaid")}}
	fund.Table = web.Table{Caption: title, NumCols: numCols(1, 5), Head: []string{f.t("web.overview.month"),
		f.t("web.overview.appropriation"), f.t("web.overview.committed"), f.t("web.overview.disbursed"), f.t("web.overview.remaining")}}
	for _, p := range r.FundPosition {
		ch.Rows = append(ch.Rows, web.ChartRow{Label: f.month(p.Month), Values: []int64{p.Disbursed, p.Committed - p.Disbursed}})
		ch.Max, ch.Target, ch.TargetLabel = max(ch.Max, p.Appropriation), p.Appropriation, f.t("web.overview.appropriation")
		fund.Table.Rows = append(fund.Table.Rows, []web.Cell{web.Text(f.month(p.Month)), f.yuanCell(p.Appropriation),
			f.yuanCell(p.Committed), f.yuanCell(p.Disbursed), f.yuanCell(p.Appropriation - p.Committed)})
	}
	if len(ch.Rows) > 0 {
		fund.Chart = ch
	}
	out = append(out, fund)

	// each programme's allocation
	title = f.t("web.overview.programs")
	progs := web.Figure{ID: "programs", Title: title, Note: f.t("web.overview.programs_note")}
	ch = &web.Chart{Title: title, Desc: progs.Note, Unit: f.t("web.overview.unit_yuan"), Format: f.yuan,
		Series: []string{f.t("web.overview.disbursed"), f.t("web.overview.committed_unpaid"), "", f.t("web.overview.remaining")}}
	progs.Table = web.Table{Caption: title, NumCols: numCols(2, 6), Head: []string{f.t("web.overview.program"), f.t("web.overview.year"),
		f.t("web.overview.allocation"), f.t("web.overview.committed"), f.t("web.overview.disbursed"), f.t("web.overview.used_share")}}
	for _, p := range r.Programs {
		name := p.NameZH
		if f.lang == i18n.EN && p.NameEN != "" {
			name = p.NameEN
		}
		bp := share(p.Committed, p.Allocation)
		ch.Rows = append(ch.Rows, web.ChartRow{Label: name, Values: []int64{p.Disbursed, p.Committed - p.Disbursed, 0, p.Allocation - p.Committed},
			Note: f.t("web.overview.used", pct(bp))})
		progs.Table.Rows = append(progs.Table.Rows, []web.Cell{web.Text(name), web.Num(int64(p.FiscalYear)), f.yuanCell(p.Allocation),
			f.yuanCell(p.Committed), f.yuanCell(p.Disbursed), pctCell(bp)})
	}
	if len(ch.Rows) > 0 {
		progs.Chart = ch
	}
	out = append(out, progs)

	// paid per month, and per unit
	for _, byUnit := range []bool{false, true} {
		rows := r.Disbursements
		id, title, head := "disbursements", f.t("web.overview.disbursements"), f.t("web.overview.month")
		if byUnit {
			rows = slices.Clone(r.DisbursementsByUnit)
			sort.SliceStable(rows, func(i, j int) bool { return f.p.UnitName(rows[i].UnitID) < f.p.UnitName(rows[j].UnitID) })
			id, title, head = "disbursements-by-unit", f.t("web.overview.disbursements_by_unit"), f.t("web.overview.unit")
		}
		paid := web.Figure{ID: id, Title: title, Note: f.t("web.overview.disbursements_note")}
		ch := &web.Chart{Title: title, Desc: paid.Note, Unit: f.t("web.overview.unit_yuan"), Format: f.yuan}
		paid.Table = web.Table{Caption: title, NumCols: numCols(1, 3), Head: []string{head, f.t("web.overview.payments"), f.t("web.overview.amount")}}
		for _, d := range rows {
			label := f.month(d.Month)
			if byUnit {
				label = f.p.UnitName(d.UnitID)
			}
			ch.Rows = append(ch.Rows, web.ChartRow{Label: label, Values: []int64{d.Amount}, Note: f.t("web.overview.n_payments", d.Payments)})
			paid.Table.Rows = append(paid.Table.Rows, []web.Cell{web.Text(label), web.Num(d.Payments), f.yuanCell(d.Amount)})
		}
		if len(ch.Rows) > 0 {
			paid.Chart = ch
		}
		if byUnit {
			f.topUnits(&paid, rankMostPaid)
		}
		out = append(out, paid)
	}

	// waiting, by step and age
	var steps, units matrix
	for _, s := range waitingSteps {
		steps.add(s, "", 0)
	}
	for _, w := range r.Waiting {
		steps.add(w.State, w.Age, w.Applications)
		units.add(w.UnitID+"\x00"+w.State, w.Age, w.Applications)
	}
	title = f.t("web.overview.waiting")
	wait := web.Figure{ID: "waiting", Title: title, Note: f.t("web.overview.waiting_note")}
	ch = &web.Chart{Title: title, Desc: wait.Note, Unit: f.t("web.overview.unit_applications")}
	for _, a := range waitingAges {
		ch.Series = append(ch.Series, f.t("web.overview.age", a))
	}
	for _, s := range waitingSteps {
		ch.Rows = append(ch.Rows, web.ChartRow{Label: f.t("web.overview.step." + s), Values: steps.values(s, waitingAges)})
	}
	head := []string{f.t("web.overview.unit"), f.t("web.overview.step")}
	for _, a := range waitingAges {
		head = append(head, f.t("web.overview.age", a))
	}
	wait.Table = web.Table{Caption: title, Head: append(head, f.t("web.overview.total")), NumCols: numCols(2, 7)}
	for _, key := range units.rows {
		unit, step := splitKey(key)
		cells := []web.Cell{web.Text(f.p.UnitName(unit)), web.Text(f.t("web.overview.step." + step))}
		var total int64
		for _, v := range units.values(key, waitingAges) {
			cells = append(cells, web.Num(v))
			total += v
		}
		wait.Table.Rows = append(wait.Table.Rows, append(cells, web.Num(total)))
	}
	if len(r.Waiting) > 0 {
		wait.Chart = ch
	}
	return append(out, wait)
}

func splitKey(k string) (string, string) {
	for i := 0; i < len(k); i++ {
		if k[i] == 0 {
			return k[:i], k[i+1:]
		}
	}
	return k, ""
}

func (f figures) leave(r leaveReport) []web.Figure {
	targets := map[int]int64{}
	for _, t := range r.Targets {
		targets[t.Year] = int64(t.BasisPoints)
	}
	last := 0
	for _, u := range r.Uptake {
		last = max(last, u.Year)
	}
	title := f.t("web.overview.uptake")
	up := web.Figure{ID: "uptake", Title: title, Note: f.t("web.overview.uptake_note")}
	ch := &web.Chart{Title: title + " " + strconv.Itoa(last), Desc: up.Note, Unit: "%", Max: 10000, Format: pct}
	if t, ok := targets[last]; ok {
		ch.Target, ch.TargetLabel = t, f.t("web.overview.target_at", pct(t))
	}
	up.Table = web.Table{Caption: title, NumCols: numCols(1, 6), Head: []string{f.t("web.overview.unit"), f.t("web.overview.year"),
		f.t("web.overview.entitled"), f.t("web.overview.taken"), f.t("web.overview.uptake_rate"), f.t("web.overview.against_target")}}
	title = f.t("web.overview.unused")
	unused := web.Figure{ID: "unused", Title: title, Note: f.t("web.overview.unused_note")}
	uch := &web.Chart{Title: title + " " + strconv.Itoa(last), Desc: unused.Note, Unit: f.t("web.overview.unit_yuan"), Format: f.yuan}
	unused.Table = web.Table{Caption: title, NumCols: numCols(1, 5), Head: []string{f.t("web.overview.unit"), f.t("web.overview.year"),
		f.t("web.overview.unused_days"), f.t("web.overview.extra_cost"), f.t("web.overview.missing_pay")}}
	for _, u := range r.Uptake {
		verdict := web.Text(f.t("web.overview.no_target"))
		note := ""
		if t, ok := targets[u.Year]; ok {
			if u.BasisPoints < t {
				verdict = web.Cell{Text: f.t("web.overview.below_target"), Flag: true}
				note = f.t("web.overview.below_target")
			} else {
				verdict = web.Text(f.t("web.overview.meets_target"))
			}
		}
		up.Table.Rows = append(up.Table.Rows, []web.Cell{web.Text(f.p.UnitName(u.UnitID)), web.Num(int64(u.Year)), web.Num(u.Entitled),
			web.Num(u.Taken), pctCell(u.BasisPoints), verdict})
		unused.Table.Rows = append(unused.Table.Rows, []web.Cell{web.Text(f.p.UnitName(u.UnitID)), web.Num(int64(u.Year)), web.Num(u.Unused),
			f.yuanCell(u.ExtraFen), web.Num(u.MissingPay)})
		if u.Year == last {
			ch.Rows = append(ch.Rows, web.ChartRow{Label: f.p.UnitName(u.UnitID), Values: []int64{u.BasisPoints}, Note: note})
			uch.Rows = append(uch.Rows, web.ChartRow{Label: f.p.UnitName(u.UnitID), Values: []int64{u.ExtraFen},
				Note: f.t("web.overview.n_days", u.Unused)})
		}
	}
	if len(ch.Rows) > 0 {
		up.Chart, unused.Chart = ch, uch
	}
	f.topUnits(&up, rankLowUptake)
	f.topUnits(&unused, rankMostUnused)
	return []web.Figure{up, unused}
}

func (f figures) care(r leaveReport) []web.Figure {
	last := 0
	for _, q := range r.Recuperation {
		last = max(last, q.Year)
	}
	title := f.t("web.overview.recuperation")
	rec := web.Figure{ID: "recuperation", Title: title, Note: f.t("web.overview.recuperation_note")}
	ch := &web.Chart{Title: title + " " + strconv.Itoa(last), Desc: rec.Note, Unit: f.t("web.overview.unit_places"),
		Series: []string{f.t("web.overview.places_used"), "", "", f.t("web.overview.places_left")}}
	rec.Table = web.Table{Caption: title, NumCols: numCols(1, 5), Head: []string{f.t("web.overview.unit"), f.t("web.overview.year"),
		f.t("web.overview.quota"), f.t("web.overview.places_used"), f.t("web.overview.used_share")}}
	for _, q := range r.Recuperation {
		bp := share(q.Used, q.Places)
		rec.Table.Rows = append(rec.Table.Rows, []web.Cell{web.Text(f.p.UnitName(q.UnitID)), web.Num(int64(q.Year)), web.Num(q.Places),
			web.Num(q.Used), pctCell(bp)})
		if q.Year == last {
			ch.Rows = append(ch.Rows, web.ChartRow{Label: f.p.UnitName(q.UnitID), Values: []int64{q.Used, 0, 0, q.Places - q.Used},
				Note: f.t("web.overview.used_of", q.Used, q.Places)})
		}
	}
	if len(ch.Rows) > 0 {
		rec.Chart = ch
	}

	last = 0
	for _, h := range r.HealthChecks {
		last = max(last, h.Year)
	}
	title = f.t("web.overview.health")
	hc := web.Figure{ID: "health", Title: title, Note: f.t("web.overview.health_note")}
	hch := &web.Chart{Title: title + " " + strconv.Itoa(last), Desc: hc.Note, Unit: f.t("web.overview.unit_people"),
		Series: []string{f.t("web.overview.completed"), f.t("web.overview.booked"), f.t("web.overview.overdue"), f.t("web.overview.not_yet")}}
	hc.Table = web.Table{Caption: title, NumCols: numCols(1, 7), Head: []string{f.t("web.overview.unit"), f.t("web.overview.year"),
		f.t("web.overview.active"), f.t("web.overview.completed"), f.t("web.overview.booked"), f.t("web.overview.overdue"), f.t("web.overview.completion")}}
	for _, h := range r.HealthChecks {
		bp := share(h.Completed, h.Active)
		overdue := web.Num(h.Overdue)
		overdue.Flag = h.Overdue > 0
		hc.Table.Rows = append(hc.Table.Rows, []web.Cell{web.Text(f.p.UnitName(h.UnitID)), web.Num(int64(h.Year)), web.Num(h.Active),
			web.Num(h.Completed), web.Num(h.Booked), overdue, pctCell(bp)})
		if h.Year == last {
			rest := max(h.Active-h.Completed-h.Booked-h.Overdue, 0)
			hch.Rows = append(hch.Rows, web.ChartRow{Label: f.p.UnitName(h.UnitID), Values: []int64{h.Completed, h.Booked, h.Overdue, rest},
				Note: f.t("web.overview.done_share", pct(bp))})
		}
	}
	if len(hch.Rows) > 0 {
		hc.Chart = hch
	}
	f.topUnits(&rec, rankLowPlaces)
	f.topUnits(&hc, rankLowChecks)
	return []web.Figure{rec, hc}
}
