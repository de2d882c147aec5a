package overview

import (
	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// The answers of the services' reporting routes (GET /reports/overview of
// api/openapi/injury.yaml, grants.yaml and leave.yaml) as the figures read
// them: each generated answer's rows, copied into plain views whose
// counts and amounts are int64 (fen, cases, days).

// overviewReports is the three services' answers.
type overviewReports struct {
	Injury injuryReport
	Grants grantsReport
	Leave  leaveReport
}

type openedCount struct {
	Month, UnitID, Severity string
	Cases                   int64
}

type durationRow struct {
	Metric             string
	Cases, Median, P90 int64
}

type slaRow struct {
	Kind          string
	Met, Breached int64
}

type escalationRow struct {
	Month, Level string
	Escalations  int64
}

type stageRow struct {
	UnitID, State string
	Cases         int64
}

type injuryReport struct {
	OpenedByMonth []openedCount
	OpenedByUnit  []openedCount
	Durations     []durationRow
	SLA           []slaRow
	Escalations   []escalationRow
	OpenByStage   []stageRow
}

// injuryReportOf reads injury's answer.
func injuryReportOf(r *injuryapi.InjuryOverviewReportResponse) (injuryReport, error) {
	var out injuryReport
	if r.JSON200 == nil {
		return out, webkit.ErrUnexpected
	}
	b := r.JSON200
	for _, o := range b.OpenedByMonth {
		out.OpenedByMonth = append(out.OpenedByMonth, openedCount{Month: o.Month, Severity: o.Severity, Cases: int64(o.Cases)})
	}
	for _, o := range b.OpenedByUnit {
		out.OpenedByUnit = append(out.OpenedByUnit, openedCount{UnitID: o.UnitId, Severity: o.Severity, Cases: int64(o.Cases)})
	}
	for _, d := range b.Durations {
		out.Durations = append(out.Durations, durationRow{Metric: string(d.Metric), Cases: int64(d.Cases), Median: int64(d.Median), P90: int64(d.P90)})
	}
	for _, s := range b.Sla {
		out.SLA = append(out.SLA, slaRow{Kind: s.Kind, Met: int64(s.Met), Breached: int64(s.Breached)})
	}
	for _, e := range b.Escalations {
		out.Escalations = append(out.Escalations, escalationRow{Month: e.Month, Level: e.Level, Escalations: int64(e.Escalations)})
	}
	for _, s := range b.OpenByStage {
		out.OpenByStage = append(out.OpenByStage, stageRow{UnitID: s.UnitId, State: s.State, Cases: int64(s.Cases)})
	}
	return out, nil
}

type fundMonth struct {
	FiscalYear                          int
	Month                               string
	Appropriation, Committed, Disbursed int64
}

type programRow struct {
	FiscalYear                       int
	Code, NameZH, NameEN             string
	Allocation, Committed, Disbursed int64
}

type paidCount struct {
	Month, UnitID    string
	Payments, Amount int64
}

type waitingRow struct {
	UnitID, State, Age string
	Applications       int64
}

type grantsReport struct {
	FundPosition        []fundMonth
	Programs            []programRow
	Disbursements       []paidCount
	DisbursementsByUnit []paidCount
	Waiting             []waitingRow
}

// grantsReportOf reads grants' answer.
func grantsReportOf(r *grantsapi.GrantsOverviewReportResponse) (grantsReport, error) {
	var out grantsReport
	if r.JSON200 == nil {
		return out, webkit.ErrUnexpected
	}
	b := r.JSON200
	for _, p := range b.FundPosition {
		out.FundPosition = append(out.FundPosition, fundMonth{FiscalYear: p.FiscalYear, Month: p.Month,
			Appropriation: int64(p.Appropriation), Committed: int64(p.Committed), Disbursed: int64(p.Disbursed)})
	}
	for _, p := range b.Programs {
		out.Programs = append(out.Programs, programRow{FiscalYear: p.FiscalYear, Code: p.Code, NameZH: p.NameZh, NameEN: p.NameEn,
			Allocation: int64(p.Allocation), Committed: int64(p.Committed), Disbursed: int64(p.Disbursed)})
	}
	for _, d := range b.Disbursements {
		out.Disbursements = append(out.Disbursements, paidCount{Month: d.Month, Payments: int64(d.Payments), Amount: int64(d.Amount)})
	}
	for _, d := range b.DisbursementsByUnit {
		out.DisbursementsByUnit = append(out.DisbursementsByUnit, paidCount{UnitID: d.UnitId, Payments: int64(d.Payments), Amount: int64(d.Amount)})
	}
	for _, w := range b.Waiting {
		out.Waiting = append(out.Waiting, waitingRow{UnitID: w.UnitId, State: string(w.State), Age: string(w.Age), Applications: int64(w.Applications)})
	}
	return out, nil
}

type uptakeRow struct {
	UnitID                                                     string
	Year                                                       int
	Entitled, Taken, Unused, ExtraFen, MissingPay, BasisPoints int64
}

type targetRow struct {
	Year, BasisPoints int
}

type recuperationRow struct {
	UnitID       string
	Year         int
	Places, Used int64
}

type healthRow struct {
	UnitID                             string
	Year                               int
	Active, Booked, Completed, Overdue int64
}

type leaveReport struct {
	Uptake       []uptakeRow
	Targets      []targetRow
	Recuperation []recuperationRow
	HealthChecks []healthRow
}

// leaveReportOf reads leave's answer.
func leaveReportOf(r *leaveapi.LeaveOverviewReportResponse) (leaveReport, error) {
	var out leaveReport
	if r.JSON200 == nil {
		return out, webkit.ErrUnexpected
	}
	b := r.JSON200
	for _, u := range b.Uptake {
		out.Uptake = append(out.Uptake, uptakeRow{UnitID: u.UnitId, Year: u.Year, Entitled: int64(u.Entitled), Taken: int64(u.Taken),
			Unused: int64(u.Unused), ExtraFen: int64(u.ExtraFen), MissingPay: int64(u.MissingPay), BasisPoints: int64(u.BasisPoints)})
	}
	for _, t := range b.Targets {
		out.Targets = append(out.Targets, targetRow{Year: t.Year, BasisPoints: t.BasisPoints})
	}
	for _, q := range b.Recuperation {
		out.Recuperation = append(out.Recuperation, recuperationRow{UnitID: q.UnitId, Year: q.Year, Places: int64(q.Places), Used: int64(q.Used)})
	}
	for _, h := range b.HealthChecks {
		out.HealthChecks = append(out.HealthChecks, healthRow{UnitID: h.UnitId, Year: h.Year, Active: int64(h.Active), Booked: int64(h.Booked),
			Completed: int64(h.Completed), Overdue: int64(h.Overdue)})
	}
	return out, nil
}
