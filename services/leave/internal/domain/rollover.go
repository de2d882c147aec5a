package domain

import (
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// CarryOverDecision is a recorded decision to carry unused days into the next
// year. Carry-over is normally not allowed; it is allowed, at most into the
// next year, when work made taking the leave impossible (Regulation art. 5),
// so a reason is always recorded.
type CarryOverDecision struct {
	MemberID  string
	Year      int
	Days      int
	Reason    string
	DecidedBy string
	DecidedAt time.Time
}

// Validate checks the decision's fields.
func (d CarryOverDecision) Validate() error {
	var ps fielderr.List
	if d.MemberID == "" {
		ps.Add("member_id", CodeRequired)
	}
	if d.Days < 1 || d.Days > 366 {
		ps.Add("days", CodeOutOfRange, 1, 366)
	}
	if d.Reason == "" {
		ps.Add("reason", CodeRequired)
	} else if len([]rune(d.Reason)) > MaxReasonLen {
		ps.Add("reason", CodeTooLong, MaxReasonLen)
	}
	return ps.Err()
}

// RolloverInput is one member's position at the end of Year.
type RolloverInput struct {
	Member Member
	// Year is the leave year being closed.
	Year int
	// Entries are the member's ledger entries of Year and Year+1.
	Entries []LedgerEntry
	// Pending is the working days still pending approval in Year.
	Pending int
	// CarryOver is the recorded decision, if any.
	CarryOver *CarryOverDecision
	// Absences are Year's absences, which may cancel Year+1's leave.
	Absences Absences
}

// RolloverResult is what closing a year books for one member.
type RolloverResult struct {
	Entries     []LedgerEntry
	Carried     int
	Expired     int
	Entitlement Entitlement
}

// Rollover closes in.Year for one member: it carries the decided days (no more
// than Balance.Carryable), expires the rest on 31 December, and accrues
// Year+1's entitlement. It is a pure function of its input so the store can
// run it for 100,000 members in batches; running it twice is prevented by
// ErrRolloverYear (the year already has a closing entry).
func Rollover(p Policy, in RolloverInput, actor string, now time.Time) (RolloverResult, error) {
	m, y := in.Member, in.Year
	for _, e := range in.Entries {
		if e.MemberID == m.ID && e.Year == y && (e.Kind == KindExpiry || e.Kind == KindCarryOverOut) {
			return RolloverResult{}, Detail(ErrRolloverYear, y)
		}
	}
	end, next := yearEnd(y), yearStart(y+1)
	bal := ComputeBalance(m.ID, y, end, in.Entries, in.Pending)
	var res RolloverResult
	left := bal.Days
	if d := in.CarryOver; d != nil {
		if err := d.Validate(); err != nil {
			return RolloverResult{}, err
		}
		if limit := bal.Carryable(p); d.Days > limit {
			return RolloverResult{}, Detail(ErrCarryOverExceeded, d.Days, limit)
		}
		res.Carried = d.Days
		left -= d.Days
		res.Entries = append(res.Entries,
			LedgerEntry{MemberID: m.ID, Year: y, Kind: KindCarryOverOut, Days: -d.Days, EffectiveOn: end, Reason: d.Reason, CreatedBy: actor, CreatedAt: now},
			LedgerEntry{MemberID: m.ID, Year: y + 1, Kind: KindCarryOverIn, Days: d.Days, EffectiveOn: next, Reason: d.Reason, CreatedBy: actor, CreatedAt: now},
		)
	}
	if left > 0 {
		res.Expired = left
		res.Entries = append(res.Entries, LedgerEntry{MemberID: m.ID, Year: y, Kind: KindExpiry, Days: -left, EffectiveOn: end, CreatedBy: actor, CreatedAt: now})
	}
	res.Entitlement = ComputeEntitlement(p, m, y+1, Absences{}, in.Absences)
	for _, e := range in.Entries {
		if e.MemberID == m.ID && e.Year == y+1 && e.Kind == KindAccrual {
			return res, nil // accrued already (joined after the last rollover)
		}
	}
	accruals := res.Entitlement.LedgerEntries(actor, now)
	// Leave of Year+1 may have been approved against a projected entitlement
	// (ProjectedAccruals). When the entitlement booked now is lower than what
	// was taken, the balance goes negative: the accrual says so, as injury
	// leave taken back does, so the unit settles it. The approvals stand.
	if len(accruals) > 0 {
		after := ComputeBalance(m.ID, y+1, yearEnd(y+1), append(slices.Clone(in.Entries), accruals...), 0)
		if after.Days < 0 {
			accruals[0].Reason = ReasonEntitlementBelowApproved
		}
	}
	res.Entries = append(res.Entries, accruals...)
	return res, nil
}

// ReasonEntitlementBelowApproved is the reason of a rollover's accrual that
// leaves the new year's balance negative: leave approved against the
// projected entitlement exceeds the entitlement booked (message catalogue key).
const ReasonEntitlementBelowApproved = "leave.reason.entitlement_below_approved"

// LedgerEntries turns the entitlement's accruals into ledger entries.
func (e Entitlement) LedgerEntries(actor string, now time.Time) []LedgerEntry {
	out := make([]LedgerEntry, 0, len(e.Accruals))
	for _, a := range e.Accruals {
		out = append(out, LedgerEntry{MemberID: e.MemberID, Year: e.Year, Kind: KindAccrual, Days: a.Days, EffectiveOn: a.On, CreatedBy: actor, CreatedAt: now})
	}
	return out
}

// Correction returns the entry that brings the ledger's accrued days for the
// year (accruals and earlier corrections) to the recomputed entitlement, for
// example when a member leaves mid-year or absences cancel the year's leave.
// ok is false when nothing needs correcting.
func (e Entitlement) Correction(entries []LedgerEntry, reason, actor string, today, now time.Time) (LedgerEntry, bool) {
	booked := 0
	for _, le := range entries {
		if le.MemberID == e.MemberID && le.Year == e.Year && (le.Kind == KindAccrual || le.Kind == KindCorrection) {
			booked += le.Days
		}
	}
	diff := e.Days - booked
	if diff == 0 {
		return LedgerEntry{}, false
	}
	return LedgerEntry{
		MemberID: e.MemberID, Year: e.Year, Kind: KindCorrection, Days: diff,
		EffectiveOn: BalanceDate(e.Year, today), Reason: reason, CreatedBy: actor, CreatedAt: now,
	}, true
}
