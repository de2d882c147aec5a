package domain_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

func TestEscalation(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	tests := []struct {
		name      string
		severity  domain.Severity
		after     []time.Duration // successive sweeps after opening
		wantLevel domain.Level
		raised    bool // whether the last sweep raised the level
		status    domain.ClockStatus
	}{
		{name: "fresh critical is green", severity: domain.SeverityCritical, after: []time.Duration{time.Minute}, status: domain.StatusGreen},
		{name: "critical turns amber at 80%", severity: domain.SeverityCritical, after: []time.Duration{12 * time.Minute}, status: domain.StatusAmber},
		{name: "critical breach goes to unit head", severity: domain.SeverityCritical, after: []time.Duration{15 * time.Minute}, wantLevel: domain.LevelUnitHead, raised: true, status: domain.StatusRed},
		{name: "second sweep does not escalate twice", severity: domain.SeverityCritical, after: []time.Duration{15 * time.Minute, 16 * time.Minute}, wantLevel: domain.LevelUnitHead, status: domain.StatusRed},
		{name: "lasting breach goes to committee", severity: domain.SeverityCritical, after: []time.Duration{15 * time.Minute, 30 * time.Minute}, wantLevel: domain.LevelCommittee, raised: true, status: domain.StatusRed},
		{name: "a late sweep jumps to committee", severity: domain.SeverityCritical, after: []time.Duration{2 * time.Hour}, wantLevel: domain.LevelCommittee, raised: true, status: domain.StatusRed},
		{name: "minor is still green after an hour", severity: domain.SeverityMinor, after: []time.Duration{time.Hour}, status: domain.StatusGreen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := p.Acknowledgement(tt.severity, opened)
			var raised bool
			var now time.Time
			for _, d := range tt.after {
				now = opened.Add(d)
				_, raised = k.Escalate(now)
			}
			if k.Level != tt.wantLevel || raised != tt.raised {
				t.Errorf("level = %v raised = %v, want %v %v", k.Level, raised, tt.wantLevel, tt.raised)
			}
			if s := k.Status(now); s != tt.status {
				t.Errorf("status = %s, want %s", s, tt.status)
			}
		})
	}
}

func TestClockLifecycle(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	tests := []struct {
		name     string
		run      func(k *domain.SLAClock)
		wantNext time.Time
		outcome  domain.ClockOutcome
		level    domain.Level
	}{
		{name: "running fires at amber", run: func(*domain.SLAClock) {}, wantNext: opened.Add(12 * time.Minute)},
		{name: "warned at amber fires at due", run: func(k *domain.SLAClock) { k.WarnAmber(opened.Add(12 * time.Minute)) }, wantNext: opened.Add(15 * time.Minute)},
		{name: "after unit head fires at committee", run: func(k *domain.SLAClock) { k.Escalate(opened.Add(20 * time.Minute)) }, wantNext: opened.Add(30 * time.Minute), level: domain.LevelUnitHead},
		{name: "stopped in time is met", run: func(k *domain.SLAClock) { k.Stop(opened.Add(5 * time.Minute)) }, outcome: domain.OutcomeMet},
		{name: "stopped late is breached", run: func(k *domain.SLAClock) { k.Stop(opened.Add(20 * time.Minute)) }, outcome: domain.OutcomeBreached},
		{name: "paused never fires", run: func(k *domain.SLAClock) { k.Pause(opened.Add(5 * time.Minute)) }},
		{name: "paused does not escalate", run: func(k *domain.SLAClock) {
			k.Pause(opened.Add(5 * time.Minute))
			k.Escalate(opened.Add(time.Hour))
		}},
		{name: "resume shifts the deadline and its amber point", run: func(k *domain.SLAClock) {
			k.Pause(opened.Add(5 * time.Minute))
			k.Resume(opened.Add(65 * time.Minute))
		}, wantNext: opened.Add(72 * time.Minute)},
		{name: "cancel", run: func(k *domain.SLAClock) { k.Cancel(opened) }, outcome: domain.OutcomeCancelled},
		{name: "stop twice keeps the first outcome", run: func(k *domain.SLAClock) {
			k.Stop(opened)
			k.Stop(opened.Add(time.Hour))
		}, outcome: domain.OutcomeMet},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := p.Acknowledgement(domain.SeverityCritical, opened)
			tt.run(&k)
			if got := k.NextFireAt(); !got.Equal(tt.wantNext) {
				t.Errorf("next fire = %s, want %s", got, tt.wantNext)
			}
			if k.Outcome != tt.outcome || k.Level != tt.level {
				t.Errorf("outcome %q level %v, want %q %v", k.Outcome, k.Level, tt.outcome, tt.level)
			}
		})
	}
}

func TestAddMonths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{name: "plain", from: day(2026, 3, 10), n: 12, want: day(2027, 3, 10)},
		{name: "to a shorter month", from: day(2026, 1, 31), n: 1, want: day(2026, 2, 28)},
		{name: "leap year", from: day(2024, 1, 31), n: 1, want: day(2024, 2, 29)},
		{name: "from 29 February", from: day(2024, 2, 29), n: 12, want: day(2025, 2, 28)},
		{name: "three years", from: day(2026, 3, 10), n: 36, want: day(2029, 3, 10)},
		{name: "across a year end", from: day(2026, 11, 30), n: 3, want: day(2027, 2, 28)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.AddMonths(tt.from, tt.n); !got.Equal(tt.want) {
				t.Errorf("AddMonths = %s, want %s", got, tt.want)
			}
		})
	}
}

// holidays is a calendar with the 2026 National Day week off.
type holidays map[time.Time]bool

func (h holidays) Workday(d time.Time) bool {
	wd := d.Weekday()
	return !h[d] && wd != time.Saturday && wd != time.Sunday
}

func TestDayClocks(t *testing.T) {
	t.Parallel()
	cal := holidays{}
	for d := 1; d <= 7; d++ {
		cal[day(2026, 10, d)] = true
	}
	withCal := domain.DefaultPolicy()
	withCal.Calendar = cal
	plain := domain.DefaultPolicy()
	tests := []struct {
		name string
		k    domain.SLAClock
		want time.Time // due instant (UTC)
	}{
		{name: "acceptance 15 days", k: plain.Acceptance(day(2026, 3, 1)), want: time.Date(2026, 3, 16, 16, 0, 0, 0, time.UTC)},
		{name: "decision clear facts 15 days", k: plain.Decision(day(2026, 3, 1), true), want: time.Date(2026, 3, 16, 16, 0, 0, 0, time.UTC)},
		{name: "decision 60 days", k: plain.Decision(day(2026, 3, 1), false), want: time.Date(2026, 4, 30, 16, 0, 0, 0, time.UTC)},
		{name: "grading 60 days", k: plain.Grading(day(2026, 3, 1)), want: time.Date(2026, 4, 30, 16, 0, 0, 0, time.UTC)},
		{name: "last day in National Day week moves to the 8th", k: withCal.Acceptance(day(2026, 9, 16)), want: time.Date(2026, 10, 8, 16, 0, 0, 0, time.UTC)},
		{name: "last day on a Saturday moves to Monday", k: withCal.Acceptance(day(2026, 3, 6)), want: time.Date(2026, 3, 23, 16, 0, 0, 0, time.UTC)},
		{name: "injury leave ends at the end of its last day", k: plain.InjuryLeave(day(2026, 3, 10), day(2027, 3, 9)), want: time.Date(2027, 3, 9, 16, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !tt.k.DueAt.Equal(tt.want) {
				t.Errorf("due = %s, want %s", tt.k.DueAt, tt.want)
			}
			if !tt.k.AmberAt.Before(tt.k.DueAt) || tt.k.AmberAt.Before(tt.k.StartedAt) {
				t.Errorf("amber %s outside [%s, %s)", tt.k.AmberAt, tt.k.StartedAt, tt.k.DueAt)
			}
		})
	}
}

func TestExtendGrading(t *testing.T) {
	t.Parallel()
	c := caseAt(t, "grading")
	due := c.Clock(domain.ClockGrading).DueAt
	if _, err := c.Apply(domain.ExtendGrading{}, caseworker, day(2026, 6, 20), domain.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if got := c.Clock(domain.ClockGrading).DueAt; !got.Equal(due.AddDate(0, 0, 30)) {
		t.Errorf("due = %s, want +30 days", got)
	}
	if _, err := c.Apply(domain.ExtendGrading{}, caseworker, day(2026, 6, 21), domain.DefaultPolicy()); err == nil {
		t.Error("second extension allowed")
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func(*domain.Policy)
		wantErr bool
	}{
		{name: "defaults", mutate: func(*domain.Policy) {}},
		{name: "missing severity", mutate: func(p *domain.Policy) { delete(p.AckWithin, domain.SeverityMinor) }, wantErr: true},
		{name: "amber out of range", mutate: func(p *domain.Policy) { p.AmberPercent = 0 }, wantErr: true},
		{name: "no committee grace", mutate: func(p *domain.Policy) { p.CommitteeAfterDays = 0 }, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := domain.DefaultPolicy()
			tt.mutate(&p)
			if err := p.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

// TestQueueStatusFollowsSeverityAndTheOneClock: the queue's colour comes
// from the clock it shows and the case's severity.
func TestQueueStatusFollowsSeverityAndTheOneClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	due := now.Add(13 * time.Minute)
	amber := due.Add(-3 * time.Minute)
	tests := []struct {
		name  string
		sev   domain.Severity
		kind  domain.ClockKind
		due   time.Time
		amber time.Time
		want  domain.ClockStatus
	}{
		{name: "critical due in 13 minutes is amber", sev: domain.SeverityCritical, kind: domain.ClockAcknowledgement, due: due, amber: amber, want: domain.StatusAmber},
		{name: "minor due in 13 minutes before its amber point is green", sev: domain.SeverityMinor, kind: domain.ClockAcknowledgement, due: due, amber: amber, want: domain.StatusGreen},
		{name: "serious due in 2 hours is green", sev: domain.SeveritySerious, kind: domain.ClockHandoff, due: now.Add(2 * time.Hour), amber: now.Add(time.Hour), want: domain.StatusGreen},
		{name: "past its amber point", sev: domain.SeverityMinor, kind: domain.ClockHandoff, due: now.Add(2 * time.Hour), amber: now.Add(-time.Minute), want: domain.StatusAmber},
		{name: "overdue", sev: domain.SeverityMinor, kind: domain.ClockHandoff, due: now, amber: now.Add(-time.Hour), want: domain.StatusRed},
		{name: "a passed window is over", sev: domain.SeverityCritical, kind: domain.ClockAppeal, due: now.Add(-time.Hour), amber: now.Add(-2 * time.Hour), want: domain.StatusDone},
		{name: "no clock", sev: domain.SeverityCritical, want: domain.StatusDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.DefaultPolicy().QueueStatus(tt.sev, tt.kind, tt.due, tt.amber, now); got != tt.want {
				t.Errorf("QueueStatus = %s, want %s", got, tt.want)
			}
		})
	}
}
