package domain

// Report is the leave and care part of the committee's work overview
// (工作概览) for the years a range of months touches, read from the
// reporting tables (store migration 00080). Amounts are fen.
type Report struct {
	// Annual leave per unit and year.
	Uptake []UnitUptake `json:"uptake"`
	// The uptake the committee set as its target, per year (none set: absent).
	Targets []UptakeTarget `json:"targets"`
	// Recuperation places per unit and year: the quota and the places used.
	Recuperation []RecuperationUse `json:"recuperation"`
	// Health checks per unit and year.
	HealthChecks []HealthCheckFigures `json:"health_checks"`
}

// UnitUptake is a unit's annual leave in a year: days entitled and taken,
// the unused days and the extra 200% they will cost (ExtraFen, without
// the members who waived it and the MissingPay members with no wage yet).
type UnitUptake struct {
	UnitID     string `json:"unit_id" db:"unit_id"`
	Year       int    `json:"year" db:"year"`
	Members    int    `json:"members" db:"members"`
	Entitled   int    `json:"entitled" db:"entitled"`
	Taken      int    `json:"taken" db:"taken"`
	Unused     int    `json:"unused" db:"unused"`
	ExtraFen   int64  `json:"extra_fen" db:"extra_fen"`
	MissingPay int    `json:"missing_pay" db:"missing_pay"`
	// BasisPoints is Taken ÷ Entitled in hundredths of a percent.
	BasisPoints int `json:"basis_points" db:"-"`
}

// UptakeTarget is the committee's uptake target for a year, in basis
// points of the days entitled (8000 = 80%).
type UptakeTarget struct {
	Year        int    `json:"year" db:"year"`
	BasisPoints int    `json:"basis_points" db:"basis_points"`
	Version     int64  `json:"version" db:"version"`
	SetBy       string `json:"set_by" db:"set_by"`
}

// RecuperationUse is a unit's recuperation quota for a year and the places
// its members have used.
type RecuperationUse struct {
	UnitID string `json:"unit_id" db:"unit_id"`
	Year   int    `json:"year" db:"year"`
	Places int    `json:"places" db:"places"`
	Used   int    `json:"used" db:"used"`
}

// HealthCheckFigures is a unit's health checks for a year: its active
// members now, checks booked and completed, and the members overdue (no
// check done or booked once the unit's round has closed, or the year
// ended without a round).
type HealthCheckFigures struct {
	UnitID    string `json:"unit_id" db:"unit_id"`
	Year      int    `json:"year" db:"year"`
	Active    int    `json:"active" db:"active"`
	Booked    int    `json:"booked" db:"booked"`
	Completed int    `json:"completed" db:"completed"`
	Overdue   int    `json:"overdue" db:"overdue"`
}
