// Package domain holds the injury green channel: cases, their state machine,
// the statutory SLA clocks of 工伤保险条例 and 工伤认定办法, and the benefit
// calculations of 工伤保险条例 ch. 5. It is plain Go: no HTTP, SQL or NATS.
package domain

import (
	"regexp"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/plausible"
	"github.com/anxin-welfare/anxin/pkg/roles"
)

// Severity is the triage severity reported at opening; it sets the
// acknowledgement and hand-off SLA.
type Severity string

// Severities, most urgent first.
const (
	SeverityCritical Severity = "critical"
	SeveritySerious  Severity = "serious"
	SeverityMinor    Severity = "minor"
)

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool {
	return s == SeverityCritical || s == SeveritySerious || s == SeverityMinor
}

// State is the position of a case in the green channel.
type State string

// States from opening to closing.
const (
	StateTriage               State = "triage"
	StateTreatment            State = "treatment"
	StateDeterminationFiling  State = "determination_filing"
	StateDeterminationDecided State = "determination_decided"
	StateDisabilityGrading    State = "disability_grading"
	StateClosed               State = "closed"
)

// States lists every state in order, for schemas and documentation.
var States = []State{StateTriage, StateTreatment, StateDeterminationFiling, StateDeterminationDecided, StateDisabilityGrading, StateClosed}

// Filer says who filed for work-injury determination: the unit (within 30
// days) or the member or family (within 1 year), 工伤保险条例 art. 17.
type Filer string

// Filers.
const (
	FilerUnit   Filer = "unit"
	FilerMember Filer = "member"
)

// Outcome is the work-injury determination.
type Outcome string

// Outcomes of 工伤保险条例 art. 14 (recognised), 15 (deemed) and 16 (rejected).
const (
	OutcomeRecognised Outcome = "recognised"
	OutcomeDeemed     Outcome = "deemed"
	OutcomeRejected   Outcome = "rejected"
)

// clauseCount is how many numbered clauses each article has: art. 14 (一)–(七),
// art. 15 (一)–(三), art. 16 (一)–(三).
var clauseCount = map[Outcome]int{OutcomeRecognised: 7, OutcomeDeemed: 3, OutcomeRejected: 3}

// Article returns the article of 工伤保险条例 the outcome rests on.
func (o Outcome) Article() int {
	switch o {
	case OutcomeRecognised:
		return 14
	case OutcomeDeemed:
		return 15
	case OutcomeRejected:
		return 16
	}
	return 0
}

// Covered reports whether the outcome makes the injury a work injury, which
// opens disability grading and the benefits.
func (o Outcome) Covered() bool { return o == OutcomeRecognised || o == OutcomeDeemed }

// CloseReason says why a case was closed.
type CloseReason string

// Close reasons.
const (
	CloseCompleted CloseReason = "completed" // graded, or no grading needed
	CloseRejected  CloseReason = "rejected"  // determination rejected (art. 16)
	CloseWithdrawn CloseReason = "withdrawn" // the member withdrew, or not a duty injury
	CloseDuplicate CloseReason = "duplicate" // reported twice
)

// Valid reports whether r is a known close reason.
func (r CloseReason) Valid() bool {
	switch r {
	case CloseCompleted, CloseRejected, CloseWithdrawn, CloseDuplicate:
		return true
	}
	return false
}

// Guarantee is a payment guarantee given to a hospital (art. 30: treatment
// first, paperwork later). Guarantees are appended, never edited.
type Guarantee struct {
	Hospital string
	Amount   money.Fen
	At       time.Time
	By       string
}

// Determination is the filing for, and the decision of, work-injury
// determination (工伤认定).
type Determination struct {
	FiledOn            time.Time // date, midnight UTC
	Filer              Filer
	DocumentsRequested bool
	DocumentsRequestOn time.Time
	AcceptedOn         time.Time
	ClearFacts         bool // decision in 15 instead of 60 days (art. 20)
	Paused             bool // awaiting a court's or other authority's finding
	PauseReason        string
	DecidedOn          time.Time
	Outcome            Outcome
	Clause             int // numbered clause of the outcome's article
	Reason             string
}

// GradingRound says which grading a case is in or last concluded.
type GradingRound string

// Grading rounds.
const (
	// RoundInitial is the first grading by the municipal committee (art. 23).
	RoundInitial GradingRound = "initial"
	// RoundAppeal is the re-assessment (再次鉴定) by the provincial committee
	// asked within 15 days of a municipal conclusion (art. 26). Its
	// conclusion is final: it opens no appeal window.
	RoundAppeal GradingRound = "appeal"
	// RoundReview is the re-grading (复查鉴定, art. 28; for police 调整残疾
	// 等级 under 伤残抚恤管理办法) asked at least a year after the last
	// conclusion. Its conclusion is a municipal one and may be appealed.
	RoundReview GradingRound = "review"
)

// GradingRounds lists every round, for schemas and documentation.
var GradingRounds = []GradingRound{RoundInitial, RoundAppeal, RoundReview}

// Grading is the disability grading (劳动能力鉴定): the round under way or
// last concluded, and the conclusion in force. A later round's conclusion
// replaces the grade; the earlier one stays in the timeline.
type Grading struct {
	Round     GradingRound
	AppliedOn time.Time // application of the current round
	Extended  bool      // the current round's one 30-day extension (art. 25)
	// Pending: the current round awaits its conclusion. During an appeal
	// or a review the previous conclusion stays on the case until then.
	Pending    bool
	GradedOn   time.Time // the conclusion in force was made on this day
	ReceivedOn time.Time // and reached the applicant on this day (art. 26)
	Grade      int       // 1..10; 0 with Graded = no disability grade
	Graded     bool
	Nursing    NursingLevel
	// PreviousGrade is the grade the conclusion in force replaced, when
	// HasPrevious (after an appeal or a review).
	PreviousGrade int
	HasPrevious   bool
	// AppealedOn is when the applicant asked the provincial committee to
	// re-assess the last municipal conclusion, with an optional note.
	AppealedOn time.Time
	AppealNote string
}

// Final reports whether the conclusion in force is the provincial
// committee's, which art. 26 makes final.
func (g Grading) Final() bool { return g.Graded && !g.Pending && g.Round == RoundAppeal }

// RegradingFrom is the first day a re-grading may be applied for, zero
// while no conclusion is on the case.
func (g Grading) RegradingFrom() time.Time {
	if !g.Graded {
		return time.Time{}
	}
	return RegradingFrom(g.GradedOn)
}

// InjuryLeave is the paid injury leave (停工留薪期, art. 33).
type InjuryLeave struct {
	Start          time.Time // date
	End            time.Time // last day, inclusive
	ExtendedMonths int
	EndedEarlyOn   time.Time
}

// Active reports whether the leave has been started.
func (l InjuryLeave) Active() bool { return !l.Start.IsZero() }

// Case is a green-channel case: one injured person in one incident.
type Case struct {
	ID         string
	Number     string // GC-YYYY-NNNNNN
	IncidentID string
	// MemberID is empty while the injured person is not yet identified; then
	// UnknownName holds the name as reported.
	MemberID    string
	UnknownName string
	UnitID      string
	Reporter    Reporter
	InjuredAt   time.Time // instant, UTC
	Place       string
	Description string
	Hospital    string
	Severity    Severity
	Category    string // member category from enrollment (police, auxiliary_police, …)

	State          State
	OpenedAt       time.Time
	AcknowledgedAt time.Time
	HandoffAt      time.Time
	Guarantees     []Guarantee
	Determination  Determination
	Grading        Grading
	Leave          InjuryLeave
	ClosedAt       time.Time
	CloseReason    CloseReason
	Coverage       Coverage
	// InCharge is the caseworker who took the case: the first to
	// acknowledge it or confirm the hand-off.
	InCharge InCharge
	// Clocks are every SLA clock the case has had, stopped ones included.
	Clocks  []SLAClock
	Version int64
}

// InCharge is the caseworker in charge of a case and the phone they gave
// the injured officer (may be empty).
type InCharge struct {
	UserID string
	Name   string
	Phone  string
}

// phonePattern is what a contact phone may hold: digits, +, - and spaces.
var phonePattern = regexp.MustCompile(`^[0-9+ -]{5,20}$`)

// checkPhone reports a contact phone that is not one; empty is allowed.
func checkPhone(p *fielderr.List, field, v string) {
	if v != "" && !phonePattern.MatchString(v) {
		p.Add(field, "injury.phone_invalid")
	}
}

// takeCharge makes who the caseworker in charge unless one already is;
// the one in charge may update their phone.
func (c *Case) takeCharge(who Actor, phone string) {
	if !who.Has(roles.Caseworker) {
		return
	}
	switch {
	case c.InCharge.UserID == "":
		c.InCharge = InCharge{UserID: who.UserID, Name: who.Name, Phone: phone}
	case c.InCharge.UserID == who.UserID && phone != "":
		c.InCharge.Phone = phone
	}
}

// Reporter is who opened the case: the member, a colleague on their behalf or
// a caseworker. A colleague sees only what they entered.
type Reporter struct {
	UserID   string
	MemberID string
	Name     string
}

// InjuryDate is the calendar date of the injury in Asia/Shanghai, as midnight
// UTC (the form dates are stored in).
func (c *Case) InjuryDate() time.Time { return dateOf(c.InjuredAt) }

// dateOf returns the Shanghai calendar date of t as midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(clock.Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// OpenInput is what a reporter enters on the phone form.
type OpenInput struct {
	MemberID    string
	UnknownName string
	UnitID      string
	InjuredAt   time.Time
	Place       string
	Description string
	Hospital    string
	Severity    Severity
	// MemberBorn is the injured member's date of birth when the caller
	// knows it; an injury cannot come before it. Zero: only the earliest
	// plausible date (plausible.EarliestService) bounds the injury.
	MemberBorn time.Time
}

// Text limits; they keep rows and pages bounded.
const (
	maxNameRunes        = 100
	maxPlaceRunes       = 500
	maxDescriptionRunes = 4000
	maxCommentRunes     = 4000
	// clockSkew tolerates a phone whose clock runs slightly ahead.
	clockSkew = 5 * time.Minute
)

// Validate checks an opening. Only what the officer can know at the scene
// is required; the hospital may follow.
func (in OpenInput) Validate(now time.Time) error {
	var p fielderr.List
	switch {
	case in.MemberID == "" && in.UnknownName == "":
		p.Add("member_id", "injury.member_or_name_required")
	case in.MemberID != "" && in.UnknownName != "":
		p.Add("unknown_name", "injury.member_and_name_exclusive")
	}
	checkText(&p, "unknown_name", in.UnknownName, maxNameRunes, false)
	if in.UnitID == "" {
		p.Add("unit_id", "injury.required")
	}
	switch {
	case in.InjuredAt.IsZero():
		p.Add("injured_at", "injury.required")
	case in.InjuredAt.After(now.Add(clockSkew)):
		p.Add("injured_at", "injury.date_in_future")
	default:
		// A slip of the keyboard (year 0006) must not open a case.
		if r := plausible.Injury(now, in.MemberBorn); r.Early(in.InjuredAt) {
			p.Add("injured_at", plausible.Code, r.Args()...)
		}
	}
	checkText(&p, "place", in.Place, maxPlaceRunes, true)
	checkText(&p, "description", in.Description, maxDescriptionRunes, true)
	checkText(&p, "hospital", in.Hospital, maxPlaceRunes, false)
	if !in.Severity.Valid() {
		p.Add("severity", "injury.severity_invalid")
	}
	return p.Err()
}

func checkText(p *fielderr.List, field, v string, max int, required bool) {
	switch {
	case required && v == "":
		p.Add(field, "injury.required")
	case !utf8.ValidString(v):
		p.Add(field, "injury.text_invalid")
	case utf8.RuneCountInString(v) > max:
		p.Add(field, "injury.text_too_long", max)
	}
}

// Open makes a new case in triage and starts its first clocks. The number
// and id are assigned by the store (the number from a per-year sequence).
func Open(in OpenInput, reporter Reporter, id, number, incidentID string, now time.Time, policy Policy) (*Case, error) {
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	c := &Case{
		ID: id, Number: number, IncidentID: incidentID,
		MemberID: in.MemberID, UnknownName: in.UnknownName, UnitID: in.UnitID,
		Reporter: reporter, InjuredAt: in.InjuredAt.UTC(), Place: in.Place,
		Description: in.Description, Hospital: in.Hospital, Severity: in.Severity,
		State: StateTriage, OpenedAt: now.UTC(),
		Coverage: Coverage{Status: CoveragePending, NextAttemptAt: now.UTC()},
	}
	if c.MemberID == "" {
		// Nothing to ask enrollment until the member is identified.
		c.Coverage = Coverage{Status: CoverageNoMember}
	}
	c.Clocks = []SLAClock{
		policy.Acknowledgement(c.Severity, now),
		policy.Handoff(c.Severity, now),
		policy.UnitFiling(c.InjuryDate()),
		policy.MemberFiling(c.InjuryDate()),
	}
	return c, nil
}
