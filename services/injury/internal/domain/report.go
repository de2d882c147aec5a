package domain

// Report is the injury part of the committee's work overview (工作概览)
// for a range of months and a set of units, read from the reporting
// tables (store migration 00080).
type Report struct {
	// Cases opened, by month and severity, and by unit and severity (over
	// the months): units plus months rows, never units × months.
	OpenedByMonth []OpenedCount `json:"opened_by_month"`
	OpenedByUnit  []OpenedCount `json:"opened_by_unit"`
	// Durations to acknowledgement and hand-off (seconds) and to the
	// determination (days), over the units of the filter.
	Durations []DurationStat `json:"durations"`
	// SLA clocks that stopped in the range, by kind: met or breached.
	SLA []SLACount `json:"sla"`
	// Escalations that fired in the range, by month and level.
	Escalations []EscalationCount `json:"escalations"`
	// Open cases now, by unit and stage; not limited to the months.
	OpenByStage []StageCount `json:"open_by_stage"`
}

// OpenedCount is the cases opened with one severity in one month (Month,
// "2026-01") or in one unit (UnitID).
type OpenedCount struct {
	Month    string `json:"month,omitempty" db:"month"`
	UnitID   string `json:"unit_id,omitempty" db:"unit_id"`
	Severity string `json:"severity" db:"severity"`
	Cases    int    `json:"cases" db:"cases"`
}

// Duration metrics of DurationStat.
const (
	MetricAcknowledgement = "acknowledgement" // seconds from opening
	MetricHandoff         = "handoff"         // seconds from opening
	MetricDetermination   = "determination"   // days from the injury to the decision
)

// DurationStat is the median and p90 of one metric over the units in the
// filter, and how many cases it counts. Percentiles are exact (the lower
// of the two middle values for an even count, as PostgreSQL's
// percentile_disc).
type DurationStat struct {
	Metric string `json:"metric" db:"metric"`
	Cases  int    `json:"cases" db:"cases"`
	Median int64  `json:"median" db:"median"`
	P90    int64  `json:"p90" db:"p90"`
}

// SLACount is how many clocks of one kind stopped met or breached.
type SLACount struct {
	Kind     string `json:"kind" db:"kind"`
	Met      int    `json:"met" db:"met"`
	Breached int    `json:"breached" db:"breached"`
}

// EscalationCount is the escalations to one level in one month.
type EscalationCount struct {
	Month       string `json:"month" db:"month"`
	Level       string `json:"level" db:"level"`
	Escalations int    `json:"escalations" db:"escalations"`
}

// StageCount is the open cases of one unit at one stage.
type StageCount struct {
	UnitID string `json:"unit_id" db:"unit_id"`
	State  string `json:"state" db:"state"`
	Cases  int    `json:"cases" db:"cases"`
}
