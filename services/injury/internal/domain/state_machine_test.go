package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/roles"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

var (
	// opened is 2026-03-10 10:00 in Shanghai; the injury happened 2 hours
	// earlier.
	opened     = time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	caseworker = domain.Actor{UserID: "u-cw", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-1"}}
	otherUnit  = domain.Actor{UserID: "u-cw2", Roles: []roles.Role{roles.Caseworker}, Units: []string{"unit-2"}}
	unitHead   = domain.Actor{UserID: "u-head", Roles: []roles.Role{roles.UnitHead}, Units: []string{"unit-1"}}
	member     = domain.Actor{UserID: "u-m1", MemberID: "m-1", Roles: []roles.Role{roles.Officer}}
	colleague  = domain.Actor{UserID: "u-col", MemberID: "m-2", Roles: []roles.Role{roles.Officer}}
	stranger   = domain.Actor{UserID: "u-x", MemberID: "m-9", Roles: []roles.Role{roles.Officer}}
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func openCase(t *testing.T) *domain.Case {
	t.Helper()
	in := domain.OpenInput{
		MemberID: "m-1", UnitID: "unit-1", InjuredAt: opened.Add(-2 * time.Hour),
		Place: "路口", Description: "执勤时被车辆撞伤", Severity: domain.SeverityCritical,
	}
	c, err := domain.Open(in, domain.Reporter{UserID: "u-col", MemberID: "m-2"}, "id-1", "GC-2026-000001", "inc-1", opened, domain.DefaultPolicy())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	c.Category = "police"
	return c
}

type step struct {
	cmd domain.Command
	who domain.Actor
	at  time.Time
}

// path returns the steps that bring a fresh case to a named point.
func path(point string) []step {
	handoff := step{domain.ConfirmHandoff{Hospital: "县人民医院", Guarantee: money.Yuan(20000)}, caseworker, opened.Add(10 * time.Minute)}
	file := step{domain.FileDetermination{FiledOn: day(2026, 3, 20)}, caseworker, day(2026, 3, 20)}
	accept := step{domain.AcceptFiling{AcceptedOn: day(2026, 3, 25)}, caseworker, day(2026, 3, 25)}
	decide := step{domain.Decide{DecidedOn: day(2026, 4, 20), Outcome: domain.OutcomeRecognised, Clause: 3}, caseworker, day(2026, 4, 20)}
	reject := step{domain.Decide{DecidedOn: day(2026, 4, 20), Outcome: domain.OutcomeRejected, Clause: 2, Reason: "醉酒"}, caseworker, day(2026, 4, 20)}
	grading := step{domain.RequestGrading{AppliedOn: day(2026, 5, 1)}, caseworker, day(2026, 5, 1)}
	grade := step{domain.RecordGrade{GradedOn: day(2026, 6, 1), Grade: 5, Nursing: domain.NursingNone}, caseworker, day(2026, 6, 1)}
	appeal := step{domain.FileAppeal{FiledOn: day(2026, 6, 10)}, member, day(2026, 6, 10)}
	appealResult := step{domain.RecordGrade{GradedOn: day(2026, 7, 20), Grade: 4, Nursing: domain.NursingPartial}, caseworker, day(2026, 7, 20)}
	switch point {
	case "triage":
		return nil
	case "treatment":
		return []step{handoff}
	case "filed":
		return []step{handoff, file}
	case "accepted":
		return []step{handoff, file, accept}
	case "paused":
		return []step{handoff, file, accept, {domain.PauseDecision{Reason: "等待法院判决"}, caseworker, day(2026, 4, 1)}}
	case "decided":
		return []step{handoff, file, accept, decide}
	case "rejected":
		return []step{handoff, file, accept, reject}
	case "grading":
		return []step{handoff, file, accept, decide, grading}
	case "graded":
		return []step{handoff, file, accept, decide, grading, grade}
	case "appealed":
		return []step{handoff, file, accept, decide, grading, grade, appeal}
	case "final":
		return []step{handoff, file, accept, decide, grading, grade, appeal, appealResult}
	}
	panic("unknown point " + point)
}

func caseAt(t *testing.T, point string) *domain.Case {
	t.Helper()
	c := openCase(t)
	for _, s := range path(point) {
		if _, err := c.Apply(s.cmd, s.who, s.at, domain.DefaultPolicy()); err != nil {
			t.Fatalf("setup %s: %s: %v", point, s.cmd.Action(), err)
		}
	}
	return c
}

func TestApplyTransitions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		point     string
		cmd       domain.Command
		who       domain.Actor
		at        time.Time
		wantState domain.State
		wantErr   string // "transition", "forbidden", "invalid:<field>:<code>" or ""
		allowed   []domain.Action
		events    []domain.EventType
	}{
		{name: "acknowledge in triage", point: "triage", cmd: domain.Acknowledge{}, who: caseworker, at: opened.Add(time.Minute), wantState: domain.StateTriage},
		{name: "unit head acknowledges", point: "triage", cmd: domain.Acknowledge{}, who: unitHead, at: opened.Add(time.Minute), wantState: domain.StateTriage},
		{name: "officer may not acknowledge", point: "triage", cmd: domain.Acknowledge{}, who: member, at: opened, wantErr: "forbidden"},
		{name: "caseworker of another unit may not acknowledge", point: "triage", cmd: domain.Acknowledge{}, who: otherUnit, at: opened, wantErr: "forbidden"},
		{name: "hand-off moves to treatment", point: "triage", cmd: domain.ConfirmHandoff{Hospital: "县医院"}, who: caseworker, at: opened, wantState: domain.StateTreatment},
		{name: "hand-off needs a hospital", point: "triage", cmd: domain.ConfirmHandoff{}, who: caseworker, at: opened, wantErr: "invalid:hospital:injury.required"},
		{name: "filing from triage is refused with next steps", point: "triage", cmd: domain.FileDetermination{FiledOn: day(2026, 3, 10)}, who: caseworker, at: opened,
			wantErr: "transition", allowed: []domain.Action{domain.ActAcknowledge, domain.ActConfirmHandoff, domain.ActClose}},
		{name: "member files own case", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2026, 3, 12)}, who: member, at: day(2026, 3, 12), wantState: domain.StateDeterminationFiling},
		{name: "colleague may not file", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2026, 3, 12)}, who: colleague, at: day(2026, 3, 12), wantErr: "forbidden"},
		{name: "filing before the injury", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2026, 3, 1)}, who: caseworker, at: day(2026, 3, 12), wantErr: "invalid:filed_on:injury.date_before_injury"},
		{name: "filing in the future", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2026, 3, 30)}, who: caseworker, at: day(2026, 3, 12), wantErr: "invalid:filed_on:injury.date_in_future"},
		{name: "member filing after a year is time-barred", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2027, 3, 11)}, who: member, at: day(2027, 3, 11), wantErr: "invalid:filed_on:injury.filing_time_barred"},
		{name: "member filing on the last day", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2027, 3, 10)}, who: member, at: day(2027, 3, 10), wantState: domain.StateDeterminationFiling},
		{name: "unit filing late is recorded", point: "treatment", cmd: domain.FileDetermination{FiledOn: day(2027, 3, 11)}, who: caseworker, at: day(2027, 3, 11), wantState: domain.StateDeterminationFiling},
		{name: "decide before acceptance", point: "filed", cmd: domain.Decide{DecidedOn: day(2026, 4, 1), Outcome: domain.OutcomeRecognised, Clause: 1}, who: caseworker, at: day(2026, 4, 1),
			wantErr: "transition", allowed: []domain.Action{domain.ActRecordGuarantee, domain.ActRequestDocuments, domain.ActAcceptFiling, domain.ActStartLeave, domain.ActClose}},
		{name: "acceptance before filing date", point: "filed", cmd: domain.AcceptFiling{AcceptedOn: day(2026, 3, 19)}, who: caseworker, at: day(2026, 3, 25), wantErr: "invalid:accepted_on:injury.date_before_filing"},
		{name: "decision before filing", point: "accepted", cmd: domain.Decide{DecidedOn: day(2026, 3, 15), Outcome: domain.OutcomeRecognised, Clause: 1}, who: caseworker, at: day(2026, 4, 1), wantErr: "invalid:decided_on:injury.decision_before_filing"},
		{name: "art. 14 has seven clauses", point: "accepted", cmd: domain.Decide{DecidedOn: day(2026, 4, 1), Outcome: domain.OutcomeRecognised, Clause: 8}, who: caseworker, at: day(2026, 4, 1), wantErr: "invalid:clause:injury.clause_invalid"},
		{name: "rejection needs a reason", point: "accepted", cmd: domain.Decide{DecidedOn: day(2026, 4, 1), Outcome: domain.OutcomeRejected, Clause: 1}, who: caseworker, at: day(2026, 4, 1), wantErr: "invalid:reason:injury.required"},
		{name: "deemed under art. 15", point: "accepted", cmd: domain.Decide{DecidedOn: day(2026, 4, 1), Outcome: domain.OutcomeDeemed, Clause: 2}, who: caseworker, at: day(2026, 4, 1),
			wantState: domain.StateDeterminationDecided, events: []domain.EventType{domain.EventDetermined}},
		{name: "no decision while paused", point: "paused", cmd: domain.Decide{DecidedOn: day(2026, 4, 2), Outcome: domain.OutcomeRecognised, Clause: 1}, who: caseworker, at: day(2026, 4, 2),
			wantErr: "transition", allowed: []domain.Action{domain.ActRecordGuarantee, domain.ActResumeDecision, domain.ActStartLeave, domain.ActClose}},
		{name: "resume after pause", point: "paused", cmd: domain.ResumeDecision{}, who: caseworker, at: day(2026, 4, 12), wantState: domain.StateDeterminationFiling},
		{name: "grading after rejection is refused", point: "rejected", cmd: domain.RequestGrading{AppliedOn: day(2026, 5, 1)}, who: caseworker, at: day(2026, 5, 1),
			wantErr: "transition", allowed: []domain.Action{domain.ActRecordGuarantee, domain.ActStartLeave, domain.ActClose}},
		{name: "member requests grading", point: "decided", cmd: domain.RequestGrading{AppliedOn: day(2026, 5, 1)}, who: member, at: day(2026, 5, 1), wantState: domain.StateDisabilityGrading},
		{name: "grade out of range", point: "grading", cmd: domain.RecordGrade{GradedOn: day(2026, 6, 1), Grade: 11}, who: caseworker, at: day(2026, 6, 1), wantErr: "invalid:grade:injury.grade_invalid"},
		{name: "grade emits graded", point: "grading", cmd: domain.RecordGrade{GradedOn: day(2026, 6, 1), Grade: 7}, who: caseworker, at: day(2026, 6, 1),
			wantState: domain.StateDisabilityGrading, events: []domain.EventType{domain.EventGraded}},
		{name: "close before grading is done", point: "grading", cmd: domain.Close{Reason: domain.CloseCompleted}, who: caseworker, at: day(2026, 6, 1), wantErr: "transition",
			allowed: []domain.Action{domain.ActRecordGuarantee, domain.ActExtendGrading, domain.ActRecordGrade, domain.ActStartLeave}},
		{name: "close graded case once the appeal window is over", point: "graded", cmd: domain.Close{Reason: domain.CloseCompleted}, who: caseworker, at: day(2026, 6, 17),
			wantState: domain.StateClosed, events: []domain.EventType{domain.EventClosed}},
		{name: "close inside the appeal window is refused", point: "graded", cmd: domain.Close{Reason: domain.CloseCompleted}, who: caseworker, at: day(2026, 6, 2),
			wantErr: "transition", allowed: []domain.Action{domain.ActRecordGuarantee, domain.ActFileAppeal, domain.ActStartLeave}},
		{name: "member files an appeal", point: "graded", cmd: domain.FileAppeal{FiledOn: day(2026, 6, 10), Note: "伤情评定偏轻"}, who: member, at: day(2026, 6, 10),
			wantState: domain.StateDisabilityGrading},
		{name: "colleague may not appeal", point: "graded", cmd: domain.FileAppeal{FiledOn: day(2026, 6, 10)}, who: colleague, at: day(2026, 6, 10), wantErr: "forbidden"},
		{name: "appeal dated before the conclusion", point: "graded", cmd: domain.FileAppeal{FiledOn: day(2026, 5, 30)}, who: caseworker, at: day(2026, 6, 10),
			wantErr: "invalid:filed_on:injury.date_before_conclusion"},
		{name: "appeal result replaces the grade", point: "appealed", cmd: domain.RecordGrade{GradedOn: day(2026, 7, 20), Grade: 4, Nursing: domain.NursingPartial}, who: caseworker, at: day(2026, 7, 20),
			wantState: domain.StateDisabilityGrading, events: []domain.EventType{domain.EventGraded}},
		{name: "no second appeal of a final conclusion", point: "final", cmd: domain.FileAppeal{FiledOn: day(2026, 7, 21)}, who: member, at: day(2026, 7, 21),
			wantErr: "transition", allowed: nil},
		{name: "re-grading before a year is refused", point: "graded", cmd: domain.RequestRegrading{AppliedOn: day(2026, 12, 1)}, who: member, at: day(2026, 12, 1),
			wantErr: "transition", allowed: nil},
		{name: "re-grading a year after", point: "graded", cmd: domain.RequestRegrading{AppliedOn: day(2027, 6, 1)}, who: member, at: day(2027, 6, 1),
			wantState: domain.StateDisabilityGrading},
		{name: "rejected closes as rejected", point: "rejected", cmd: domain.Close{Reason: domain.CloseRejected}, who: caseworker, at: day(2026, 5, 2), wantState: domain.StateClosed, events: []domain.EventType{domain.EventClosed}},
		{name: "rejected may not close as completed", point: "rejected", cmd: domain.Close{Reason: domain.CloseCompleted}, who: caseworker, at: day(2026, 5, 2), wantErr: "invalid:reason:injury.close_reason_unfit.rejected"},
		{name: "triage closes as duplicate", point: "triage", cmd: domain.Close{Reason: domain.CloseDuplicate}, who: caseworker, at: opened, wantState: domain.StateClosed, events: []domain.EventType{domain.EventClosed}},
		{name: "triage may not close as completed", point: "triage", cmd: domain.Close{Reason: domain.CloseCompleted}, who: caseworker, at: opened, wantErr: "invalid:reason:injury.close_reason_unfit.before_decision"},
		{name: "unknown close reason", point: "triage", cmd: domain.Close{Reason: "bored"}, who: caseworker, at: opened, wantErr: "invalid:reason:injury.close_reason_invalid"},
		{name: "request documents once", point: "filed", cmd: domain.RequestDocuments{On: day(2026, 3, 22)}, who: caseworker, at: day(2026, 3, 22), wantState: domain.StateDeterminationFiling},
		{name: "extend leave before start", point: "treatment", cmd: domain.ExtendLeave{Months: 3}, who: caseworker, at: day(2026, 3, 12), wantErr: "transition",
			allowed: []domain.Action{domain.ActRecordGuarantee, domain.ActFileDetermination, domain.ActStartLeave, domain.ActClose}},
		{name: "start leave", point: "treatment", cmd: domain.StartLeave{Start: day(2026, 3, 11)}, who: caseworker, at: day(2026, 3, 12), wantState: domain.StateTreatment},
		{name: "leave before the injury", point: "treatment", cmd: domain.StartLeave{Start: day(2026, 3, 1)}, who: caseworker, at: day(2026, 3, 12), wantErr: "invalid:start:injury.date_before_injury"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseAt(t, tt.point)
			before := *c
			beforeClocks := slices.Clone(c.Clocks)
			ch, err := c.Apply(tt.cmd, tt.who, tt.at, domain.DefaultPolicy())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Apply: %v", err)
				}
				if c.State != tt.wantState {
					t.Errorf("state = %s, want %s", c.State, tt.wantState)
				}
				if ch.To != tt.wantState || ch.From != before.State {
					t.Errorf("change = %+v", ch)
				}
				if !slices.Equal(ch.Events, tt.events) {
					t.Errorf("events = %v, want %v", ch.Events, tt.events)
				}
				if c.Version != before.Version+1 {
					t.Errorf("version = %d, want %d", c.Version, before.Version+1)
				}
				return
			}
			checkErr(t, err, tt.wantErr)
			var te *domain.TransitionError
			if errors.As(err, &te) && !slices.Equal(te.Allowed, tt.allowed) {
				t.Errorf("allowed = %v, want %v", te.Allowed, tt.allowed)
			}
			if c.State != before.State || c.Version != before.Version || !slices.Equal(c.Clocks, beforeClocks) {
				t.Errorf("a rejected command changed the case")
			}
		})
	}
}

func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	var te *domain.TransitionError
	var fe *domain.ForbiddenError
	var ve *fielderr.Invalid
	switch want {
	case "transition":
		if !errors.As(err, &te) {
			t.Fatalf("err = %v, want TransitionError", err)
		}
	case "forbidden":
		if !errors.As(err, &fe) {
			t.Fatalf("err = %v, want ForbiddenError", err)
		}
	default:
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v, want ValidationError %s", err, want)
		}
		for _, p := range ve.Problems {
			if "invalid:"+p.Field+":"+p.Code == want {
				return
			}
		}
		t.Fatalf("problems = %+v, want %s", ve.Problems, want)
	}
}

func TestAccessFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		who  domain.Actor
		want domain.Access
	}{
		{name: "caseworker of the unit", who: caseworker, want: domain.AccessStaff},
		{name: "unit head of the unit", who: unitHead, want: domain.AccessStaff},
		{name: "caseworker of another unit", who: otherUnit, want: domain.AccessNone},
		{name: "the injured member", who: member, want: domain.AccessMember},
		{name: "family of the member", who: domain.Actor{UserID: "u-f", MemberID: "m-1", Roles: []roles.Role{roles.Family}}, want: domain.AccessMember},
		{name: "colleague who reported", who: colleague, want: domain.AccessReporter},
		{name: "another officer", who: stranger, want: domain.AccessNone},
		{name: "no identity", who: domain.Actor{}, want: domain.AccessNone},
	}
	c := openCase(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := c.AccessFor(tt.who); got != tt.want {
				t.Errorf("AccessFor = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestClockEffects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		point   string
		kind    domain.ClockKind
		active  bool
		wantDue time.Time
		outcome domain.ClockOutcome
	}{
		// 2026-03-10 + 30 days = 2026-04-09, due at its end in Shanghai.
		{name: "unit filing clock at opening", point: "triage", kind: domain.ClockUnitFiling, active: true, wantDue: time.Date(2026, 4, 9, 16, 0, 0, 0, time.UTC)},
		{name: "member filing clock at opening", point: "triage", kind: domain.ClockMemberFiling, active: true, wantDue: time.Date(2027, 3, 10, 16, 0, 0, 0, time.UTC)},
		{name: "critical acknowledgement in 15 minutes", point: "triage", kind: domain.ClockAcknowledgement, active: true, wantDue: opened.Add(15 * time.Minute)},
		{name: "hand-off meets the acknowledgement clock", point: "treatment", kind: domain.ClockAcknowledgement, outcome: domain.OutcomeMet},
		{name: "filing answers the unit filing clock", point: "filed", kind: domain.ClockUnitFiling, outcome: domain.OutcomeMet},
		{name: "filing starts acceptance", point: "filed", kind: domain.ClockAcceptance, active: true, wantDue: time.Date(2026, 4, 4, 16, 0, 0, 0, time.UTC)},
		{name: "acceptance starts the 60-day decision", point: "accepted", kind: domain.ClockDecision, active: true, wantDue: time.Date(2026, 5, 24, 16, 0, 0, 0, time.UTC)},
		{name: "police recognised starts 3-year grading", point: "decided", kind: domain.ClockPoliceGrading, active: true, wantDue: time.Date(2029, 3, 10, 16, 0, 0, 0, time.UTC)},
		{name: "grading request answers police grading", point: "grading", kind: domain.ClockPoliceGrading, outcome: domain.OutcomeMet},
		{name: "grading clock 60 days", point: "grading", kind: domain.ClockGrading, active: true, wantDue: time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseAt(t, tt.point)
			var k *domain.SLAClock
			for i := range c.Clocks {
				if c.Clocks[i].Kind == tt.kind {
					k = &c.Clocks[i]
				}
			}
			if k == nil {
				t.Fatalf("no %s clock", tt.kind)
			}
			if k.Active() != tt.active {
				t.Fatalf("active = %v, want %v", k.Active(), tt.active)
			}
			if tt.active && !k.DueAt.Equal(tt.wantDue) {
				t.Errorf("due = %s, want %s", k.DueAt, tt.wantDue)
			}
			if !tt.active && k.Outcome != tt.outcome {
				t.Errorf("outcome = %s, want %s", k.Outcome, tt.outcome)
			}
		})
	}
}

func TestDecisionPauseMovesDeadline(t *testing.T) {
	t.Parallel()
	c := caseAt(t, "accepted")
	due := c.Clock(domain.ClockDecision).DueAt
	p := domain.DefaultPolicy()
	if _, err := c.Apply(domain.PauseDecision{Reason: "等待法院"}, caseworker, day(2026, 4, 1), p); err != nil {
		t.Fatal(err)
	}
	if s := c.Clock(domain.ClockDecision).Status(day(2026, 6, 30)); s != domain.StatusPaused {
		t.Errorf("paused status = %s", s)
	}
	if _, err := c.Apply(domain.ResumeDecision{}, caseworker, day(2026, 4, 11), p); err != nil {
		t.Fatal(err)
	}
	if got := c.Clock(domain.ClockDecision).DueAt; !got.Equal(due.AddDate(0, 0, 10)) {
		t.Errorf("due after 10-day pause = %s, want %s", got, due.AddDate(0, 0, 10))
	}
}

func TestUnknownMemberCannotFile(t *testing.T) {
	t.Parallel()
	in := domain.OpenInput{UnknownName: "张某", UnitID: "unit-1", InjuredAt: opened, Place: "街道", Description: "受伤", Severity: domain.SeverityMinor}
	c, err := domain.Open(in, domain.Reporter{UserID: "u-cw"}, "id", "GC-2026-000002", "inc", opened, domain.DefaultPolicy())
	if err != nil {
		t.Fatal(err)
	}
	p := domain.DefaultPolicy()
	if _, err := c.Apply(domain.ConfirmHandoff{Hospital: "医院"}, caseworker, opened, p); err != nil {
		t.Fatal(err)
	}
	_, err = c.Apply(domain.FileDetermination{FiledOn: day(2026, 3, 10)}, caseworker, opened, p)
	var te *domain.TransitionError
	if !errors.As(err, &te) || te.Reason != "injury.member_not_identified" {
		t.Fatalf("err = %v, want member_not_identified", err)
	}
	if !slices.Contains(te.Allowed, domain.ActIdentifyMember) {
		t.Errorf("allowed %v lacks identify_member", te.Allowed)
	}
	if _, err := c.Apply(domain.IdentifyMember{MemberID: "m-7", Category: "auxiliary_police"}, caseworker, opened, p); err != nil {
		t.Fatal(err)
	}
	if c.MemberID != "m-7" || c.UnknownName != "" {
		t.Errorf("identified: member %q, reported name %q; want the member only", c.MemberID, c.UnknownName)
	}
	if _, err := c.Apply(domain.FileDetermination{FiledOn: day(2026, 3, 10)}, caseworker, opened, p); err != nil {
		t.Fatal(err)
	}
}

// TestCloseReasonsFollowTheStage: the reasons offered are exactly those
// Close accepts, stage by stage.
func TestCloseReasonsFollowTheStage(t *testing.T) {
	t.Parallel()
	all := []domain.CloseReason{domain.CloseCompleted, domain.CloseRejected, domain.CloseWithdrawn, domain.CloseDuplicate}
	tests := []struct {
		name  string
		point string
		want  []domain.CloseReason
	}{
		{name: "triage", point: "triage", want: []domain.CloseReason{domain.CloseWithdrawn, domain.CloseDuplicate}},
		{name: "treatment", point: "treatment", want: []domain.CloseReason{domain.CloseWithdrawn, domain.CloseDuplicate}},
		{name: "rejected", point: "rejected", want: []domain.CloseReason{domain.CloseRejected}},
		{name: "graded", point: "graded", want: []domain.CloseReason{domain.CloseCompleted}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseAt(t, tt.point)
			if got := c.CloseReasons(); !slices.Equal(got, tt.want) {
				t.Fatalf("CloseReasons = %v, want %v", got, tt.want)
			}
			for _, r := range all {
				probe := caseAt(t, tt.point)
				_, err := probe.Apply(domain.Close{Reason: r}, caseworker, day(2030, 1, 1), domain.DefaultPolicy())
				var ve *fielderr.Invalid
				refusedAsUnfit := errors.As(err, &ve)
				if slices.Contains(tt.want, r) == refusedAsUnfit {
					t.Errorf("%s: offered=%v but Close said %v", r, slices.Contains(tt.want, r), err)
				}
			}
		})
	}
}
