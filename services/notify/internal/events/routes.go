package events

import (
	"fmt"
	"strconv"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

// Subjects are the subjects the notify consumer reads.
func Subjects() []string {
	var out []string
	for _, r := range routes {
		out = append(out, bus.Subject(r.source, r.typ, Version))
	}
	return out
}

type route struct {
	source, typ string
	notice      func(ev bus.Event) (domain.Notice, error)
}

// routes says who is told of what (issue 16, "Who is told what"). Texts
// carry numbers, dates and amounts only; names and medical details stay in
// the site behind the link.
var routes = []route{
	{SourceInjury, TypeCaseOpened, decode(func(p CaseOpened) domain.Notice {
		return domain.Notice{Kind: domain.KindCaseOpened, Critical: p.Severity == "critical", Args: []string{p.Number},
			Link: "/cases/" + p.CaseID, Audiences: []domain.Audience{{Role: domain.RoleCaseworker, Unit: p.UnitID}}}
	})},
	{SourceInjury, TypeCaseSLAAmber, decode(func(p CaseSLAAmber) domain.Notice {
		// The escalation's people, told before the breach: the caseworker
		// in charge and the unit head; the committee only where it is
		// already watching (a clock escalated to it and given a new
		// deadline) or the case is critical. Urgent (through quiet hours)
		// only for a critical case's hour-scale clocks: a day-counted
		// clock turns amber days ahead, at whatever hour its percentage
		// gives, and its notice can wait for the morning.
		aud := caseTeam(p.UnitID, p.InChargeUserID)
		if p.Level == "committee" || p.Severity == "critical" {
			aud = append(aud, domain.Audience{Role: domain.RoleCommittee})
		}
		urgent := p.Severity == "critical" && (p.Clock == "acknowledgement" || p.Clock == "handoff")
		return domain.Notice{Kind: domain.KindCaseSLAAmber, Critical: urgent,
			Args: []string{p.Number, "@notify.clock." + p.Clock, clock.Local(p.DueAt).Format("2006-01-02 15:04")},
			Link: "/cases/" + p.CaseID, Audiences: aud}
	})},
	{SourceInjury, TypeCaseEscalated, decode(func(p CaseEscalated) domain.Notice {
		aud := caseTeam(p.UnitID, p.InChargeUserID)
		if p.Level == "committee" {
			aud = append(aud, domain.Audience{Role: domain.RoleCommittee})
		}
		return domain.Notice{Kind: domain.KindCaseEscalated, Critical: true,
			Args: []string{p.Number, clock.Local(p.DueAt).Format("2006-01-02 15:04"), "@notify.level." + p.Level},
			Link: "/cases/" + p.CaseID, Audiences: aud}
	})},
	{SourceInjury, TypeStageChanged, decode(func(p StageChanged) domain.Notice {
		n := domain.Notice{Kind: domain.KindCaseStageChanged, Args: []string{p.Number, "@notify.stage." + p.To},
			Link: "/cases/" + p.CaseID, Audiences: member(p.MemberID)}
		if toldOwnNotice[p.To] {
			n.Audiences = nil
		}
		return n
	})},
	{SourceInjury, TypeDocsRequested, decode(func(p DocumentsRequested) domain.Notice {
		return domain.Notice{Kind: domain.KindDocumentsRequested, Args: []string{p.Number, p.RequestedOn},
			Link: "/cases/" + p.CaseID, Audiences: member(p.MemberID)}
	})},
	{SourceInjury, TypeCalcReady, decode(func(p CalculationReady) domain.Notice {
		return domain.Notice{Kind: domain.KindCalculationReady, Args: []string{p.Number},
			Link: "/cases/" + p.CaseID, Audiences: member(p.MemberID)}
	})},
	{SourceInjury, TypeCaseDetermined, decode(func(p CaseDetermined) domain.Notice {
		return domain.Notice{Kind: domain.KindCaseDetermined, Args: []string{"@notify.outcome." + p.Outcome, p.Number},
			Link: "/cases/" + p.CaseID, Audiences: member(p.MemberID)}
	})},
	{SourceInjury, TypeCaseGraded, decode(func(p CaseGraded) domain.Notice {
		return domain.Notice{Kind: domain.KindCaseGraded, Args: []string{p.Number}, Link: "/cases/" + p.CaseID, Audiences: member(p.MemberID)}
	})},
	{SourceInjury, TypeCaseClosed, decode(func(p CaseClosed) domain.Notice {
		return domain.Notice{Kind: domain.KindCaseClosed, Args: []string{p.Number, "@notify.closed." + p.Reason},
			Link: "/cases/" + p.CaseID, Audiences: member(p.MemberID)}
	})},
	{SourceGrants, TypeGrantSubmitted, decode(func(p GrantSubmitted) domain.Notice {
		return grant(domain.KindGrantSubmitted, p.ApplicationID, p.MemberID, p.Number, yuan(p.Amount))
	})},
	{SourceGrants, TypeGrantApproved, decode(func(p GrantApproved) domain.Notice {
		return grant(domain.KindGrantApproved, p.ApplicationID, p.MemberID, p.Number, yuan(p.Amount))
	})},
	{SourceGrants, TypeGrantRejected, decode(func(p GrantRejected) domain.Notice {
		return grant(domain.KindGrantRejected, p.ApplicationID, p.MemberID, p.Number)
	})},
	{SourceGrants, TypeGrantReturned, decode(func(p GrantReturned) domain.Notice {
		return grant(domain.KindGrantReturned, p.ApplicationID, p.MemberID, p.Number)
	})},
	{SourceGrants, TypeGrantDisbursed, decode(func(p GrantDisbursed) domain.Notice {
		return grant(domain.KindGrantDisbursed, p.ApplicationID, p.MemberID, yuan(p.Amount), p.Number, p.Period)
	})},
	{SourceLeave, TypeLeaveApproved, decode(func(p LeaveApproved) domain.Notice {
		return domain.Notice{Kind: domain.KindLeaveApproved, Args: []string{p.From, p.To, strconv.Itoa(p.Days)},
			Link: "/leave", Audiences: officer(p.MemberID)}
	})},
	{SourceLeave, TypeLeaveRejected, decode(func(p LeaveRejected) domain.Notice {
		return domain.Notice{Kind: domain.KindLeaveRejected, Args: []string{p.From, p.To}, Link: "/leave", Audiences: officer(p.MemberID)}
	})},
	{SourceLeave, TypeRecuperation, decode(func(p RecuperationBooked) domain.Notice {
		what := "@notify.recuperation.confirmed"
		if p.FromWaitlist {
			what = "@notify.recuperation.from_waitlist"
		}
		return domain.Notice{Kind: domain.KindRecuperationBooked, Args: []string{what, p.From, p.To},
			Link: "/care", Audiences: officer(p.MemberID)}
	})},
	{SourceLeave, TypeHealthCheckDue, decode(func(p HealthCheckReminder) domain.Notice {
		return domain.Notice{Kind: domain.KindHealthCheckReminder, Args: []string{strconv.Itoa(p.Year), p.Deadline},
			Link: "/care", Audiences: officer(p.MemberID)}
	})},
	{SourceLeave, TypeHealthCheckLate, decode(func(p HealthCheckOverdue) domain.Notice {
		return domain.Notice{Kind: domain.KindHealthCheckOverdue, Args: []string{strconv.Itoa(p.Year), p.Deadline},
			Link: "/care", Audiences: officer(p.MemberID)}
	})},
	{SourceGateway, TypeSignInFailures, decode(func(p SignInFailures) domain.Notice {
		return domain.Notice{Kind: domain.KindSignInFailures, Args: []string{strconv.Itoa(p.Failures)},
			Link: "/account", Audiences: []domain.Audience{{User: p.UserID}}}
	})},
}

// caseTeam is who answers for a case's deadlines: the caseworker in charge
// (before anyone took the case, the unit's caseworkers) and the unit head.
func caseTeam(unitID, inChargeUserID string) []domain.Audience {
	inCharge := domain.Audience{Role: domain.RoleCaseworker, Unit: unitID}
	if inChargeUserID != "" {
		inCharge = domain.Audience{User: inChargeUserID}
	}
	return []domain.Audience{inCharge, {Role: domain.RoleUnitHead, Unit: unitID}}
}

// toldOwnNotice are the stages whose own event already tells the member
// (case.determined, case.closed): the stage change into them tells nobody,
// so the officer gets one notice of the decision, not two.
var toldOwnNotice = map[string]bool{"determination_decided": true, "closed": true}

// member is every account of a member: the officer, and their family
// (the family of a fallen officer applies for grants and follows the
// case).
func member(id string) []domain.Audience {
	if id == "" {
		return nil
	}
	return []domain.Audience{{Member: id}}
}

// officer is the officer's own account only: their leave, recuperation
// and health checks are not their family's business.
func officer(id string) []domain.Audience {
	if id == "" {
		return nil
	}
	return []domain.Audience{{Member: id, Role: domain.RoleOfficer}}
}

func grant(k domain.Kind, applicationID, memberID string, args ...string) domain.Notice {
	return domain.Notice{Kind: k, Args: args, Link: "/grants/applications/" + applicationID, Audiences: member(memberID)}
}

func yuan(fen int64) string { return money.Fen(fen).String() }

func decode[P any](fn func(P) domain.Notice) func(bus.Event) (domain.Notice, error) {
	return func(ev bus.Event) (domain.Notice, error) {
		var p P
		if err := ev.Decode(&p); err != nil {
			return domain.Notice{}, bus.Permanent(err)
		}
		return fn(p), nil
	}
}

// NoticeOf is what an event means to people.
func NoticeOf(ev bus.Event) (domain.Notice, error) {
	for _, r := range routes {
		if r.source == ev.Source && r.typ == ev.Type && ev.Version == Version {
			return r.notice(ev)
		}
	}
	return domain.Notice{}, bus.Permanent(fmt.Errorf("notify: no route for %s %s v%d", ev.Source, ev.Type, ev.Version))
}
