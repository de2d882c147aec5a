package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// EntryKind is the kind of a balance ledger entry. The ledger is append-only:
// a mistake is corrected by a new entry, so every balance can be explained
// line by line (DOMAIN.md, leave).
type EntryKind string

// Ledger entry kinds, with the sign their days must have.
const (
	KindAccrual        EntryKind = "accrual"         // + the year's entitlement, dated when it applies
	KindCorrection     EntryKind = "correction"      // ± entitlement recomputed (leaver, late data, art. 4)
	KindTaking         EntryKind = "taking"          // − an approved annual-leave request, or days given back for injury leave taken back (reason)
	KindTakingReversal EntryKind = "taking_reversal" // + a cancelled taking, or days overlapped by injury leave
	KindAdjustment     EntryKind = "adjustment"      // ± an admin's correction, or injury leave of a closed year; reason required
	KindCarryOverOut   EntryKind = "carry_over_out"  // − days carried out of the year, reason required
	KindCarryOverIn    EntryKind = "carry_over_in"   // + the same days arriving in the next year
	KindExpiry         EntryKind = "expiry"          // − days left at year end that were not carried
)

// Valid reports whether k is a known kind.
func (k EntryKind) Valid() bool {
	switch k {
	case KindAccrual, KindCorrection, KindTaking, KindTakingReversal, KindAdjustment,
		KindCarryOverOut, KindCarryOverIn, KindExpiry:
		return true
	}
	return false
}

// sign is +1 or −1 for kinds with a fixed sign, 0 for either.
func (k EntryKind) sign() int {
	switch k {
	case KindAccrual, KindTakingReversal, KindCarryOverIn:
		return 1
	case KindTaking, KindCarryOverOut, KindExpiry:
		return -1
	}
	return 0
}

// needsReason reports whether a human reason must be recorded with the entry.
// Carry-over needs one because it is allowed only when work required it
// (Regulation art. 5).
func (k EntryKind) needsReason() bool {
	switch k {
	case KindCorrection, KindAdjustment, KindCarryOverOut, KindCarryOverIn:
		return true
	}
	return false
}

// MaxReasonLen bounds free-text reasons, in characters.
const MaxReasonLen = 500

// LedgerEntry is one line of a member's balance for a leave year. Days is
// signed: positive adds to the balance.
type LedgerEntry struct {
	ID       int64
	MemberID string
	Year     int
	Kind     EntryKind
	Days     int
	// EffectiveOn is the day the entry starts to count: a band increase counts
	// from the first of the month after the anniversary, everything else from
	// the day it was booked.
	EffectiveOn time.Time
	Reason      string
	RequestID   string
	CreatedBy   string
	CreatedAt   time.Time
	// Projected marks an entry that is not in the ledger: next year's
	// entitlement as the year-end rollover will book it (ProjectedAccruals).
	// It counts in a balance like the accrual it stands for and is never
	// stored.
	Projected bool
}

// Validate checks an entry before it is appended.
func (e LedgerEntry) Validate() error {
	var ps fielderr.List
	if e.MemberID == "" {
		ps.Add("member_id", CodeRequired)
	}
	if !e.Kind.Valid() {
		ps.Add("kind", CodeInvalidChoice)
	}
	switch s := e.Kind.sign(); {
	case e.Days == 0:
		ps.Add("days", CodeOutOfRange, 1, 366)
	case s != 0 && (e.Days > 0) != (s > 0):
		ps.Add("days", CodeWrongSign)
	case e.Days > 366 || e.Days < -366:
		ps.Add("days", CodeOutOfRange, 1, 366)
	}
	if !IsDate(e.EffectiveOn) {
		ps.Add("effective_on", CodeNotDate)
	} else if e.EffectiveOn.Year() != e.Year {
		ps.Add("effective_on", CodeOutOfYear, e.EffectiveOn, e.Year)
	}
	if e.Kind.needsReason() && e.Reason == "" {
		ps.Add("reason", CodeRequired)
	}
	if len([]rune(e.Reason)) > MaxReasonLen {
		ps.Add("reason", CodeTooLong, MaxReasonLen)
	}
	return ps.Err()
}

// Balance is a member's annual-leave position for one year on one day. It is
// computed by ComputeBalance and nothing else: every screen, report and export
// shows the same number because they all call the same function over the same
// entries.
type Balance struct {
	MemberID string
	Year     int
	AsOf     time.Time
	// Accrued counts accruals and entitlement corrections.
	Accrued int
	// Taken is takings net of reversals (a positive number of days).
	Taken      int
	Adjusted   int
	CarriedIn  int
	CarriedOut int // positive number of days
	Expired    int // positive number of days
	// Days is the ledger sum: Accrued − Taken + Adjusted + CarriedIn − CarriedOut − Expired.
	Days int
	// Pending is the working days of requests awaiting approval; they hold
	// the balance so two pending requests cannot together exceed it.
	Pending int
	// Available is what a new request may take: Days − Pending.
	Available int
	// Entitled is what the year grants the member, everything but takings:
	// Accrued + Adjusted + CarriedIn − CarriedOut − Expired. Every page
	// shows the balance as Entitled − Taken − Pending = Available.
	Entitled int
	// Projected is true when Accrued includes an entitlement the year-end
	// rollover has not booked yet (ProjectedAccruals): the balance is an
	// estimate until the rollover, and ProjectedDays is that part of it.
	// Days carried over are never projected: what may be carried is decided
	// at the rollover.
	Projected     bool
	ProjectedDays int
}

// ComputeBalance sums the entries of memberID's year that are effective on
// asOf, and subtracts the days held by pending requests. Entries of other
// members or years are ignored, so callers may pass a wider slice. Projected
// entries (ProjectedAccruals) count like the accruals they stand for and
// make the balance Projected.
func ComputeBalance(memberID string, year int, asOf time.Time, entries []LedgerEntry, pending int) Balance {
	b := Balance{MemberID: memberID, Year: year, AsOf: asOf, Pending: pending}
	for _, e := range entries {
		if e.MemberID != memberID || e.Year != year {
			continue
		}
		// A projection is an estimate even where its part of the year has
		// not begun (a band reached later in the year).
		b.Projected = b.Projected || e.Projected
		if e.EffectiveOn.After(asOf) {
			continue
		}
		switch e.Kind {
		case KindAccrual, KindCorrection:
			b.Accrued += e.Days
			if e.Projected {
				b.ProjectedDays += e.Days
			}
		case KindTaking, KindTakingReversal:
			b.Taken -= e.Days
		case KindAdjustment:
			b.Adjusted += e.Days
		case KindCarryOverIn:
			b.CarriedIn += e.Days
		case KindCarryOverOut:
			b.CarriedOut -= e.Days
		case KindExpiry:
			b.Expired -= e.Days
		}
		b.Days += e.Days
	}
	b.Available = b.Days - b.Pending
	b.Entitled = b.Days + b.Taken
	return b
}

// Carryable is the most a member may carry into the next year: carry-over is
// "at most into the next year" (Regulation art. 5), so days that were carried
// in and not yet used cannot travel on. Takings use carried-in days first.
func (b Balance) Carryable(p Policy) int {
	remainingIn := max(0, b.CarriedIn-b.Taken)
	n := max(0, b.Days-remainingIn-b.Pending)
	if p.MaxCarryOverDays > 0 {
		n = min(n, p.MaxCarryOverDays)
	}
	return n
}

// StatementLine is one explained line of a balance: the entry and the
// running balance after it.
type StatementLine struct {
	Entry   LedgerEntry
	Running int
}

// Statement orders the member's entries for the year that are effective on
// asOf (by effective date, then id) with a running balance. Its last Running
// equals ComputeBalance(...).Days.
func Statement(memberID string, year int, asOf time.Time, entries []LedgerEntry) []StatementLine {
	var sel []LedgerEntry
	for _, e := range entries {
		if e.MemberID == memberID && e.Year == year && !e.EffectiveOn.After(asOf) {
			sel = append(sel, e)
		}
	}
	slices.SortStableFunc(sel, func(a, b LedgerEntry) int {
		if c := a.EffectiveOn.Compare(b.EffectiveOn); c != 0 {
			return c
		}
		return cmpInt64(a.ID, b.ID)
	})
	out := make([]StatementLine, len(sel))
	run := 0
	for i, e := range sel {
		run += e.Days
		out[i] = StatementLine{Entry: e, Running: run}
	}
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
