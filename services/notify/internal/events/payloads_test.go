package events_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus"
	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
	"github.com/anxin-welfare/anxin/services/notify/internal/events"
	"github.com/anxin-welfare/anxin/services/notify/internal/templates"
)

func schema(name string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "api", "events", name)
}

// Every field notify reads is declared by its producer's schema.
func TestConsumedPayloadsMatchTheProducersSchemas(t *testing.T) {
	t.Parallel()
	for file, payload := range map[string]any{
		"injury.case.opened.v1.json":               events.CaseOpened{},
		"injury.case.escalated.v1.json":            events.CaseEscalated{},
		"injury.case.sla_amber.v1.json":            events.CaseSLAAmber{},
		"injury.case.determined.v1.json":           events.CaseDetermined{},
		"injury.case.graded.v1.json":               events.CaseGraded{},
		"injury.case.closed.v1.json":               events.CaseClosed{},
		"injury.case.stage_changed.v1.json":        events.StageChanged{},
		"injury.case.documents_requested.v1.json":  events.DocumentsRequested{},
		"injury.case.calculation_ready.v1.json":    events.CalculationReady{},
		"grants.application.submitted.v1.json":     events.GrantSubmitted{},
		"grants.application.approved.v1.json":      events.GrantApproved{},
		"grants.application.rejected.v1.json":      events.GrantRejected{},
		"grants.application.returned.v1.json":      events.GrantReturned{},
		"leave.leave.rejected.v1.json":             events.LeaveRejected{},
		"grants.grant.disbursed.v1.json":           events.GrantDisbursed{},
		"leave.leave.approved.v1.json":             events.LeaveApproved{},
		"leave.recuperation.booked.v1.json":        events.RecuperationBooked{},
		"gateway.account.sign_in_failures.v1.json": events.SignInFailures{},
		"leave.healthcheck.overdue.v1.json":        events.HealthCheckOverdue{},
		"leave.healthcheck.reminder.v1.json":       events.HealthCheckReminder{},
	} {
		bustest.CheckConsumes(t, schema(file), payload)
	}
}

func event(t *testing.T, source, typ string, data any) bus.Event {
	t.Helper()
	ev, err := bus.NewEvent(source, typ, 1, "s-1", 1, data, time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// Who is told what (issue 16), and that no text of any notice lacks a
// catalogue entry in either language.
func TestWhoIsToldWhat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		ev       bus.Event
		kind     domain.Kind
		critical bool
		to       []domain.Audience
		link     string
	}{
		{"a critical case: the unit's caseworkers, urgently", event(t, "injury", "case.opened",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "critical"}),
			domain.KindCaseOpened, true, []domain.Audience{{Role: "caseworker", Unit: "u1"}}, "/cases/c1"},
		{"a minor case is not urgent", event(t, "injury", "case.opened",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "minor"}),
			domain.KindCaseOpened, false, []domain.Audience{{Role: "caseworker", Unit: "u1"}}, "/cases/c1"},
		{"escalated to the committee", event(t, "injury", "case.escalated",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "level": "committee", "due_at": "2026-11-27T02:00:00Z"}),
			domain.KindCaseEscalated, true, []domain.Audience{{Role: "caseworker", Unit: "u1"}, {Role: "unit_head", Unit: "u1"}, {Role: "approver"}}, "/cases/c1"},
		{"escalated: the caseworker in charge, not the whole unit", event(t, "injury", "case.escalated",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "in_charge_user_id": "cw1", "level": "unit_head", "due_at": "2026-11-27T02:00:00Z"}),
			domain.KindCaseEscalated, true, []domain.Audience{{User: "cw1"}, {Role: "unit_head", Unit: "u1"}}, "/cases/c1"},
		{"amber: the caseworker in charge and the unit head, not urgently", event(t, "injury", "case.sla_amber",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "serious", "in_charge_user_id": "cw1",
				"clock": "decision", "level": "none", "due_at": "2026-11-30T16:00:00Z"}),
			domain.KindCaseSLAAmber, false, []domain.Audience{{User: "cw1"}, {Role: "unit_head", Unit: "u1"}}, "/cases/c1"},
		{"amber before anyone took the case: the unit's caseworkers", event(t, "injury", "case.sla_amber",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "minor",
				"clock": "handoff", "level": "none", "due_at": "2026-11-27T06:00:00Z"}),
			domain.KindCaseSLAAmber, false, []domain.Audience{{Role: "caseworker", Unit: "u1"}, {Role: "unit_head", Unit: "u1"}}, "/cases/c1"},
		{"amber of a critical case's hour clock: the committee too, urgently", event(t, "injury", "case.sla_amber",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "critical", "in_charge_user_id": "cw1",
				"clock": "handoff", "level": "none", "due_at": "2026-11-27T03:00:00Z"}),
			domain.KindCaseSLAAmber, true, []domain.Audience{{User: "cw1"}, {Role: "unit_head", Unit: "u1"}, {Role: "approver"}}, "/cases/c1"},
		{"amber of a critical case's day clock: the committee too, not through quiet hours", event(t, "injury", "case.sla_amber",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "critical", "in_charge_user_id": "cw1",
				"clock": "unit_filing", "level": "none", "due_at": "2026-12-06T16:00:00Z"}),
			domain.KindCaseSLAAmber, false, []domain.Audience{{User: "cw1"}, {Role: "unit_head", Unit: "u1"}, {Role: "approver"}}, "/cases/c1"},
		{"amber of a clock the committee already holds: the committee too", event(t, "injury", "case.sla_amber",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "severity": "serious", "in_charge_user_id": "cw1",
				"clock": "grading", "level": "committee", "due_at": "2026-12-06T16:00:00Z"}),
			domain.KindCaseSLAAmber, false, []domain.Audience{{User: "cw1"}, {Role: "unit_head", Unit: "u1"}, {Role: "approver"}}, "/cases/c1"},
		{"the officer's case moved on", event(t, "injury", "case.stage_changed",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "unit_id": "u1", "from": "treatment", "to": "determination_filing"}),
			domain.KindCaseStageChanged, false, []domain.Audience{{Member: "m1"}}, "/cases/c1"},
		{"the decision itself is told once, by case.determined", event(t, "injury", "case.stage_changed",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "unit_id": "u1", "from": "determination_filing", "to": "determination_decided"}),
			domain.KindCaseStageChanged, false, nil, "/cases/c1"},
		{"a stage change before the injured is identified tells nobody", event(t, "injury", "case.stage_changed",
			map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1", "from": "triage", "to": "treatment"}),
			domain.KindCaseStageChanged, false, nil, "/cases/c1"},
		{"documents asked for: the officer", event(t, "injury", "case.documents_requested",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "unit_id": "u1", "requested_on": "2026-11-27"}),
			domain.KindDocumentsRequested, false, []domain.Audience{{Member: "m1"}}, "/cases/c1"},
		{"a calculation ready: the officer", event(t, "injury", "case.calculation_ready",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "unit_id": "u1", "calculation_id": 7}),
			domain.KindCalculationReady, false, []domain.Audience{{Member: "m1"}}, "/cases/c1"},
		{"the officer told of the decision", event(t, "injury", "case.determined",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "outcome": "recognised"}),
			domain.KindCaseDetermined, false, []domain.Audience{{Member: "m1"}}, "/cases/c1"},
		{"the officer's case closed", event(t, "injury", "case.closed",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "reason": "completed"}),
			domain.KindCaseClosed, false, []domain.Audience{{Member: "m1"}}, "/cases/c1"},
		{"the officer's case graded, the grade kept out", event(t, "injury", "case.graded",
			map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "grade": 7}),
			domain.KindCaseGraded, false, []domain.Audience{{Member: "m1"}}, "/cases/c1"},
		{"failed sign-ins: the account's owner", event(t, "gateway", "account.sign_in_failures",
			map[string]any{"user_id": "u-1", "failures": 5, "at": "2026-11-27T02:00:00Z"}),
			domain.KindSignInFailures, false, []domain.Audience{{User: "u-1"}}, "/account"},
		{"a grant paid to the family", event(t, "grants", "grant.disbursed",
			map[string]any{"application_id": "a1", "number": "GA-1", "member_id": "m1", "amount": 1234567, "period": "2026-11"}),
			domain.KindGrantDisbursed, false, []domain.Audience{{Member: "m1"}}, "/grants/applications/a1"},
		{"leave refused", event(t, "leave", "leave.rejected",
			map[string]any{"request_id": "r1", "member_id": "m1", "from": "2026-12-01", "to": "2026-12-03"}),
			domain.KindLeaveRejected, false, []domain.Audience{{Member: "m1", Role: "officer"}}, "/leave"},
		{"grant returned for documents", event(t, "grants", "application.returned",
			map[string]any{"application_id": "a1", "number": "GA-1", "member_id": "m1"}),
			domain.KindGrantReturned, false, []domain.Audience{{Member: "m1"}}, "/grants/applications/a1"},
		{"leave approved", event(t, "leave", "leave.approved",
			map[string]any{"request_id": "r1", "member_id": "m1", "from": "2026-12-01", "to": "2026-12-03", "days": 3}),
			domain.KindLeaveApproved, false, []domain.Audience{{Member: "m1", Role: "officer"}}, "/leave"},
		{"moved up from the waiting list", event(t, "leave", "recuperation.booked",
			map[string]any{"booking_id": "b1", "member_id": "m1", "from": "2027-03-01", "to": "2027-03-07", "from_waitlist": true}),
			domain.KindRecuperationBooked, false, []domain.Audience{{Member: "m1", Role: "officer"}}, "/care"},
		{"a health check to book before the deadline: the officer only", event(t, "leave", "healthcheck.reminder",
			map[string]any{"member_id": "m1", "unit_id": "u1", "year": 2026, "deadline": "2026-04-30", "as_of": "2026-04-05"}),
			domain.KindHealthCheckReminder, false, []domain.Audience{{Member: "m1", Role: "officer"}}, "/care"},
		{"a health check overdue: the officer only", event(t, "leave", "healthcheck.overdue",
			map[string]any{"member_id": "m1", "unit_id": "u1", "year": 2026, "deadline": "2026-04-30", "as_of": "2026-05-02"}),
			domain.KindHealthCheckOverdue, false, []domain.Audience{{Member: "m1", Role: "officer"}}, "/care"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			n, err := events.NoticeOf(tc.ev)
			if err != nil {
				t.Fatal(err)
			}
			if n.Kind != tc.kind || n.Critical != tc.critical || !slices.Equal(n.Audiences, tc.to) || n.Link != tc.link {
				t.Errorf("notice = %+v", n)
			}
			for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
				txt := templates.Render(lang, n.Kind, n.Critical, n.Args, "https://anxin.example"+n.Link)
				for _, s := range []string{txt.Title, txt.Body, txt.Short} {
					if s == "" || strings.Contains(s, "notify.") || strings.Contains(s, "%!") {
						t.Errorf("%s text %q", lang, s)
					}
				}
			}
		})
	}
}

// The short texts (SMS, robots) of the officer's case notices say only what
// happened: no case number, no date, no stage of a medical process.
func TestTheCaseShortTextsCarryNoDetail(t *testing.T) {
	t.Parallel()
	for _, ev := range []bus.Event{
		event(t, "injury", "case.stage_changed", map[string]any{"case_id": "c1", "number": "GC-2026-000042", "member_id": "m1", "to": "disability_grading"}),
		event(t, "injury", "case.documents_requested", map[string]any{"case_id": "c1", "number": "GC-2026-000042", "member_id": "m1", "requested_on": "2026-11-27"}),
		event(t, "injury", "case.calculation_ready", map[string]any{"case_id": "c1", "number": "GC-2026-000042", "member_id": "m1"}),
		event(t, "injury", "case.sla_amber", map[string]any{"case_id": "c1", "number": "GC-2026-000042", "unit_id": "u1",
			"severity": "critical", "clock": "grading", "level": "none", "due_at": "2026-11-27T08:00:00Z"}),
	} {
		n, err := events.NoticeOf(ev)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			short := templates.Render(lang, n.Kind, n.Critical, n.Args, "https://anxin.example/x").Short
			for _, detail := range []string{"GC-2026-000042", "2026-11-27", "鉴定", "grading"} {
				if strings.Contains(short, detail) {
					t.Errorf("%s %s short text tells %q: %q", ev.Type, lang, detail, short)
				}
			}
		}
	}
}

// The health-check short texts (SMS, robots) say only that there is
// something to do: no year, no deadline.
func TestTheHealthCheckShortTextsCarryNoDetail(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"healthcheck.reminder", "healthcheck.overdue"} {
		n, err := events.NoticeOf(event(t, "leave", typ, map[string]any{"member_id": "m1", "unit_id": "u1", "year": 2026,
			"deadline": "2026-04-30", "as_of": "2026-04-05"}))
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			txt := templates.Render(lang, n.Kind, n.Critical, n.Args, "https://anxin.example/care")
			if !strings.Contains(txt.Title+txt.Body, "2026-04-30") {
				t.Errorf("%s %s inbox text lacks the deadline: %q", typ, lang, txt.Title+txt.Body)
			}
			for _, detail := range []string{"2026", "04-30"} {
				if strings.Contains(txt.Short, detail) {
					t.Errorf("%s %s short text tells %q: %q", typ, lang, detail, txt.Short)
				}
			}
		}
	}
}

func TestTheShortTextCarriesNoAmountNameOrNumber(t *testing.T) {
	t.Parallel()
	n, err := events.NoticeOf(event(t, "grants", "grant.disbursed",
		map[string]any{"application_id": "a1", "number": "GA-2026-000042", "member_id": "m1", "amount": 1234567, "period": "2026-11"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		short := templates.Render(lang, n.Kind, n.Critical, n.Args, "https://anxin.example/x").Short
		if strings.Contains(short, "12,345.67") || strings.Contains(short, "GA-2026-000042") {
			t.Errorf("%s short text tells too much: %q", lang, short)
		}
	}
}

// Every stage injury publishes has a text in both languages.
func TestEveryStageHasAText(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(schema("injury.case.stage_changed.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		Properties struct {
			To struct {
				Enum []string `json:"enum"`
			} `json:"to"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &sch); err != nil || len(sch.Properties.To.Enum) == 0 {
		t.Fatalf("stages of the schema: %v", err)
	}
	for _, stage := range sch.Properties.To.Enum {
		n, err := events.NoticeOf(event(t, "injury", "case.stage_changed", map[string]any{"case_id": "c1", "number": "GC-1", "member_id": "m1", "to": stage}))
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			if txt := templates.Render(lang, n.Kind, n.Critical, n.Args, "https://anxin.example/cases/c1"); strings.Contains(txt.Title+txt.Body, "notify.") {
				t.Errorf("%s %s: %q", stage, lang, txt.Title+txt.Body)
			}
		}
	}
}

// Every clock injury may tell of at its amber point has a name in both
// languages, so no notice shows a catalogue key.
func TestEveryClockHasAName(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(schema("injury.case.sla_amber.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sch struct {
		Properties struct {
			Clock struct {
				Enum []string `json:"enum"`
			} `json:"clock"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &sch); err != nil || len(sch.Properties.Clock.Enum) == 0 {
		t.Fatalf("clocks of the schema: %v", err)
	}
	for _, k := range sch.Properties.Clock.Enum {
		n, err := events.NoticeOf(event(t, "injury", "case.sla_amber", map[string]any{"case_id": "c1", "number": "GC-1", "unit_id": "u1",
			"severity": "minor", "clock": k, "level": "none", "due_at": "2026-11-27T08:00:00Z"}))
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			txt := templates.Render(lang, n.Kind, n.Critical, n.Args, "https://anxin.example/cases/c1")
			if strings.Contains(txt.Title+txt.Body, "notify.") || !strings.Contains(txt.Body, "2026-11-27 16:00") {
				t.Errorf("%s %s: %q", k, lang, txt.Title+" / "+txt.Body)
			}
		}
	}
}
