package domain

import (
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Limits of paid injury leave (停工留薪期, 工伤保险条例 art. 33): up to 12
// months, extendable by up to 12 more with the labour-capacity committee's
// confirmation.
const (
	InjuryLeaveMonths     = 12
	InjuryExtensionMonths = 12
)

// InjuryLeave is a member's paid injury leave, recorded from the injury
// service's case events. It is not annual leave and takes nothing from the
// balance; annual leave may not be requested over it.
type InjuryLeave struct {
	CaseID   string
	MemberID string
	From, To time.Time
	// ExtensionMonths is the extension granted beyond the first 12 months
	// (0 to 12).
	ExtensionMonths int
}

// Validate checks the period against the statutory limits.
func (l InjuryLeave) Validate() error {
	var ps fielderr.List
	if l.CaseID == "" {
		ps.Add("case_id", CodeRequired)
	}
	if l.MemberID == "" {
		ps.Add("member_id", CodeRequired)
	}
	validatePeriod(&ps, l.From, l.To)
	if l.ExtensionMonths < 0 || l.ExtensionMonths > InjuryExtensionMonths {
		ps.Add("extension_months", CodeOutOfRange, 0, InjuryExtensionMonths)
	} else if IsDate(l.From) && IsDate(l.To) && !l.To.Before(l.From) {
		limit := InjuryLeaveMonths + l.ExtensionMonths
		if last := l.From.AddDate(0, limit, -1); l.To.After(last) {
			ps.Add("to", CodeInjuryTooLong, limit, last)
		}
	}
	return ps.Err()
}

// InjuryGiveBack is the change to one approved request's given-back days
// that brings them in line with the member's injury leave as it stands now.
// A day of paid injury leave never consumes annual leave (停工留薪期,
// 工伤保险条例 art. 33), whichever came first, the request or the injury
// leave: covered days are given back, and days given back that are no longer
// injury leave (the period was shortened) are taken back, because the member
// was on annual leave on them after all.
type InjuryGiveBack struct {
	RequestID string
	MemberID  string
	// Year is the request's leave year.
	Year int
	// Before is the days given back so far (LeaveRequest.RestoredDays);
	// After the request's working days injury leave covers now.
	Before, After int
	// Covered lists those working days, for the audit trail.
	Covered []time.Time
}

// Change is the days to give back (positive) or take back (negative).
func (g InjuryGiveBack) Change() int { return g.After - g.Before }

// ReconcileInjuryLeave compares, for every approved request, the working
// days inside any of its member's injury leave periods (all cases together,
// so two cases over the same days give them back once, and two cases over
// different days of one request both count) with the days given back so
// far, and returns the requests where they differ. It is a function of the
// current state only, so applying its result and running it again returns
// nothing: redelivered and reordered events change nothing more. Requests
// that are not approved are skipped: a cancelled request already returned
// every day not given back, a pending one has taken nothing yet.
func ReconcileInjuryLeave(cals Calendars, injuries []InjuryLeave, requests []LeaveRequest) ([]InjuryGiveBack, error) {
	var out []InjuryGiveBack
	for _, r := range requests {
		if r.Status != StatusApproved {
			continue
		}
		cal, ok := cals[r.From.Year()]
		if !ok {
			return nil, Detail(ErrCalendarMissing, r.From.Year())
		}
		var covered []time.Time
		for day := r.From; !day.After(r.To); day = day.AddDate(0, 0, 1) {
			if !cal.IsWorkingDay(day) {
				continue
			}
			for _, inj := range injuries {
				if inj.MemberID == r.MemberID && !day.Before(inj.From) && !day.After(inj.To) {
					covered = append(covered, day)
					break
				}
			}
		}
		// The request's Days were counted when it was made; a calendar
		// changed since cannot give back more than was taken.
		g := InjuryGiveBack{RequestID: r.ID, MemberID: r.MemberID, Year: r.From.Year(), Before: r.RestoredDays,
			After: min(len(covered), r.Days), Covered: covered}
		if g.Change() != 0 {
			out = append(out, g)
		}
	}
	return out, nil
}

// Reasons of the entries InjuryGiveBack.Entry books (message catalogue keys).
const (
	ReasonInjuryLeave                        = "leave.reason.injury_leave"
	ReasonInjuryLeaveShortened               = "leave.reason.injury_leave_shortened"
	ReasonInjuryLeaveShortenedNegative       = "leave.reason.injury_leave_shortened_negative"
	ReasonInjuryLeaveClosedYear              = "leave.reason.injury_leave_closed_year"
	ReasonInjuryLeaveShortenedClosed         = "leave.reason.injury_leave_shortened_closed_year"
	ReasonInjuryLeaveShortenedClosedNegative = "leave.reason.injury_leave_shortened_closed_year_negative"
)

// Entry is the ledger entry that books g's change in bookYear, a new entry
// that never edits an old one:
//
//   - bookYear == g.Year (the request's year is still open): days given back
//     are a taking reversal, days taken back a taking of their own (with a
//     reason, so it is told apart from the approval's taking), both linked
//     to the request;
//   - bookYear > g.Year (the request's year is closed: its unused days have
//     expired or been carried and compensated, so its balance is final): an
//     adjustment of bookYear, the first open year after it, whose reason
//     says it corrects injury leave of a closed year. Days given back
//     there would otherwise be lost, days taken back would otherwise have
//     been counted (and paid) as unused.
//
// negative says the balance of bookYear falls below zero with this entry:
// days taken back are booked even then (the member did take them, and a
// silent cap would forgive them without anyone deciding it) and the reason
// says the balance is negative, so the unit sees it and settles it.
func (g InjuryGiveBack) Entry(bookYear int, negative bool, actor string, today, now time.Time) LedgerEntry {
	e := LedgerEntry{MemberID: g.MemberID, Year: bookYear, Days: g.Change(), EffectiveOn: BalanceDate(bookYear, today), CreatedBy: actor, CreatedAt: now}
	switch {
	case bookYear == g.Year && e.Days > 0:
		e.Kind, e.Reason, e.RequestID = KindTakingReversal, ReasonInjuryLeave, g.RequestID
	case bookYear == g.Year:
		e.Kind, e.Reason, e.RequestID = KindTaking, ReasonInjuryLeaveShortened, g.RequestID
		if negative {
			e.Reason = ReasonInjuryLeaveShortenedNegative
		}
	case e.Days > 0:
		e.Kind, e.Reason = KindAdjustment, ReasonInjuryLeaveClosedYear
	default:
		e.Kind, e.Reason = KindAdjustment, ReasonInjuryLeaveShortenedClosed
		if negative {
			e.Reason = ReasonInjuryLeaveShortenedClosedNegative
		}
	}
	return e
}
