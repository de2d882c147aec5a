package domain

// Report is the grants part of the committee's work overview (工作概览),
// read from the reporting tables (store migration 00080) and the funds and
// programmes rows. Amounts are fen.
type Report struct {
	// The fund's position at the end of each month in which it changed:
	// county-wide, so only in a report of every unit.
	FundPosition []FundMonth `json:"fund_position"`
	// Each programme's allocation and its use, for the fiscal years the
	// months touch: county-wide too.
	Programs []ProgramUse `json:"programs"`
	// Grants paid per month (UnitID empty) and per unit over the months
	// (Month empty): units plus months rows.
	Disbursements       []DisbursementMonth `json:"disbursements"`
	DisbursementsByUnit []DisbursementMonth `json:"disbursements_by_unit"`
	// Applications waiting now, by unit, step and how long they have
	// waited there (AgeBuckets).
	Waiting []WaitingCount `json:"waiting"`
}

// FundMonth is a fund's committed and disbursed totals at a month's end.
type FundMonth struct {
	FiscalYear    int    `json:"fiscal_year" db:"fiscal_year"`
	Month         string `json:"month" db:"month"`
	Appropriation int64  `json:"appropriation" db:"appropriation"`
	Committed     int64  `json:"committed" db:"committed"`
	Disbursed     int64  `json:"disbursed" db:"disbursed"`
}

// ProgramUse is one programme's allocation and what of it is committed and
// paid.
type ProgramUse struct {
	FiscalYear int    `json:"fiscal_year" db:"fiscal_year"`
	ProgramID  string `json:"program_id" db:"program_id"`
	Code       string `json:"code" db:"code"`
	NameZH     string `json:"name_zh" db:"name_zh"`
	NameEN     string `json:"name_en" db:"name_en"`
	Allocation int64  `json:"allocation" db:"allocation"`
	Committed  int64  `json:"committed" db:"committed"`
	Disbursed  int64  `json:"disbursed" db:"disbursed"`
}

// DisbursementMonth is the grants paid in a month or to one unit's
// applicants.
type DisbursementMonth struct {
	Month    string `json:"month,omitempty" db:"month"`
	UnitID   string `json:"unit_id,omitempty" db:"unit_id"`
	Payments int    `json:"payments" db:"payments"`
	Amount   int64  `json:"amount" db:"amount"`
}

// WaitingCount is the applications of one unit waiting at one step
// (State: submitted waits for review, reviewed for the committee's
// approval, approved for payment) for an age in AgeBuckets.
type WaitingCount struct {
	UnitID       string `json:"unit_id" db:"unit_id"`
	State        string `json:"state" db:"state"`
	Age          string `json:"age" db:"age"`
	Applications int    `json:"applications" db:"applications"`
}

// AgeBuckets are the waiting ages, in days at the step, as the report
// names them.
var AgeBuckets = []string{"0-7", "8-30", "31-90", "91+"}
