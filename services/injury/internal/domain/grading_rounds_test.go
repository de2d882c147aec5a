package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// shanghai is an instant given as a wall-clock time in Asia/Shanghai.
func shanghai(y int, m time.Month, d, hour, min int) time.Time {
	return time.Date(y, m, d, hour-8, min, 0, 0, time.UTC)
}

// transitionReason applies cmd expecting a refusal for a reason, and
// returns the reason's arguments.
func transitionReason(t *testing.T, c *domain.Case, cmd domain.Command, who domain.Actor, at time.Time, reason string) []any {
	t.Helper()
	_, err := c.Apply(cmd, who, at, domain.DefaultPolicy())
	var te *domain.TransitionError
	if !errors.As(err, &te) || te.Reason != reason {
		t.Fatalf("%s at %s: err = %v, want %s", cmd.Action(), at, err, reason)
	}
	return te.ReasonArgs
}

func TestAppealWindow(t *testing.T) {
	t.Parallel()
	// Graded (and received) on 1 June 2026: the 15 days run 2 to 16 June
	// (民法典 art. 201), the window closes at the end of 16 June in Shanghai.
	tests := []struct {
		name    string
		at      time.Time
		open    bool
		lastDay string
	}{
		{name: "day 1", at: shanghai(2026, 6, 2, 9, 0), open: true},
		{name: "day 15, last minute", at: shanghai(2026, 6, 16, 23, 59), open: true},
		{name: "day 16, first minute", at: shanghai(2026, 6, 17, 0, 0), lastDay: "2026-06-16"},
		{name: "a month later", at: shanghai(2026, 7, 1, 10, 0), lastDay: "2026-06-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseAt(t, "graded")
			k := c.Clock(domain.ClockAppeal)
			if k == nil || !k.DueAt.Equal(time.Date(2026, 6, 16, 16, 0, 0, 0, time.UTC)) {
				t.Fatalf("appeal clock = %+v", k)
			}
			if got := slices.Contains(c.NextActions(member, tt.at), domain.ActFileAppeal); got != tt.open {
				t.Errorf("file_appeal offered = %v, want %v", got, tt.open)
			}
			cmd := domain.FileAppeal{FiledOn: dateOf(tt.at), Note: "不服鉴定结论"}
			if !tt.open {
				args := transitionReason(t, c, cmd, member, tt.at, "injury.appeal_window_closed")
				if len(args) != 1 || args[0] != tt.lastDay {
					t.Errorf("reason args = %v, want [%s]", args, tt.lastDay)
				}
				return
			}
			if _, err := c.Apply(cmd, member, tt.at, domain.DefaultPolicy()); err != nil {
				t.Fatalf("appeal: %v", err)
			}
			if k := c.Clocks[len(c.Clocks)-2]; k.Kind != domain.ClockAppeal || k.Outcome != domain.OutcomeMet || k.Active() {
				t.Errorf("appeal clock after filing = %+v", k)
			}
			if c.Clock(domain.ClockAppeal) != nil {
				t.Error("an appeal clock still runs")
			}
			g := c.Grading
			if g.Round != domain.RoundAppeal || !g.Pending || !g.Graded || g.Grade != 5 || !g.AppealedOn.Equal(dateOf(tt.at)) || g.AppealNote != "不服鉴定结论" {
				t.Errorf("grading after appeal = %+v", g)
			}
			// The provincial committee has 60 days from the application.
			if k := c.Clock(domain.ClockGrading); k == nil || !k.DueAt.Equal(startOfDayAfter(dateOf(tt.at).AddDate(0, 0, 60))) {
				t.Errorf("provincial grading clock = %+v", k)
			}
		})
	}
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Add(8 * time.Hour).Date()
	return day(y, m, d)
}

// startOfDayAfter is the end of a last day in Shanghai, as the clocks store it.
func startOfDayAfter(lastDay time.Time) time.Time { return lastDay.Add(16 * time.Hour) }

func TestAppealWindowCountsFromReceipt(t *testing.T) {
	t.Parallel()
	c := caseAt(t, "grading")
	if _, err := c.Apply(domain.RecordGrade{GradedOn: day(2026, 6, 1), ReceivedOn: day(2026, 6, 5), Grade: 8, Nursing: domain.NursingNone},
		caseworker, day(2026, 6, 6), domain.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
	if k := c.Clock(domain.ClockAppeal); k == nil || !k.LastDay().Equal(day(2026, 6, 20)) {
		t.Fatalf("appeal clock = %+v, want last day 2026-06-20", k)
	}
	// Re-grading still counts from the day the conclusion was made.
	if got := c.Grading.RegradingFrom(); !got.Equal(day(2027, 6, 1)) {
		t.Errorf("regrading from %s", got)
	}
	bad := caseAt(t, "grading")
	_, err := bad.Apply(domain.RecordGrade{GradedOn: day(2026, 6, 5), ReceivedOn: day(2026, 6, 1), Grade: 8, Nursing: domain.NursingNone},
		caseworker, day(2026, 6, 6), domain.DefaultPolicy())
	checkErr(t, err, "invalid:received_on:injury.date_before_conclusion")
}

func TestAppealResultIsFinal(t *testing.T) {
	t.Parallel()
	c := caseAt(t, "appealed")
	p := domain.DefaultPolicy()
	// Nothing closes while the provincial committee has the case.
	transitionReason(t, c, domain.Close{Reason: domain.CloseCompleted}, caseworker, day(2026, 7, 1), "injury.grading_pending")
	transitionReason(t, c, domain.FileAppeal{FiledOn: day(2026, 6, 12)}, member, day(2026, 6, 12), "injury.grading_pending")
	if _, err := c.Apply(domain.ExtendGrading{}, caseworker, day(2026, 7, 1), p); err != nil {
		t.Fatalf("extend the provincial grading: %v", err)
	}
	ch, err := c.Apply(domain.RecordGrade{GradedOn: day(2026, 7, 20), Grade: 4, Nursing: domain.NursingPartial}, caseworker, day(2026, 7, 20), p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ch.Events, []domain.EventType{domain.EventGraded}) {
		t.Errorf("events = %v", ch.Events)
	}
	g := c.Grading
	if !g.Final() || g.Pending || g.Grade != 4 || !g.HasPrevious || g.PreviousGrade != 5 || !g.GradedOn.Equal(day(2026, 7, 20)) {
		t.Errorf("grading after the appeal result = %+v", g)
	}
	if c.Clock(domain.ClockAppeal) != nil || c.Clock(domain.ClockGrading) != nil {
		t.Errorf("clocks after a final conclusion: %+v", c.Clocks)
	}
	transitionReason(t, c, domain.FileAppeal{FiledOn: day(2026, 7, 21)}, member, day(2026, 7, 21), "injury.grading_final")
	// The case closes at once: there is no window left.
	if _, err := c.Apply(domain.Close{Reason: domain.CloseCompleted}, caseworker, day(2026, 7, 21), p); err != nil {
		t.Errorf("close after the final conclusion: %v", err)
	}
}

func TestRegradingAfterAYear(t *testing.T) {
	t.Parallel()
	graded := day(2026, 6, 1)
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{name: "364 days after", at: graded.AddDate(0, 0, 364).Add(12 * time.Hour)},
		{name: "365 days after", at: graded.AddDate(0, 0, 365).Add(2 * time.Hour), ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseAt(t, "graded")
			if got := slices.Contains(c.NextActions(member, tt.at), domain.ActRequestRegrading); got != tt.ok {
				t.Errorf("request_regrading offered = %v, want %v", got, tt.ok)
			}
			cmd := domain.RequestRegrading{AppliedOn: dateOf(tt.at)}
			if !tt.ok {
				if args := transitionReason(t, c, cmd, member, tt.at, "injury.regrading_too_early"); len(args) != 1 || args[0] != "2027-06-01" {
					t.Errorf("reason args = %v", args)
				}
				return
			}
			if _, err := c.Apply(cmd, member, tt.at, domain.DefaultPolicy()); err != nil {
				t.Fatal(err)
			}
			g := c.Grading
			if g.Round != domain.RoundReview || !g.Pending || g.Grade != 5 || !g.AppliedOn.Equal(day(2027, 6, 1)) || c.Clock(domain.ClockGrading) == nil {
				t.Errorf("grading after the re-grading request = %+v", g)
			}
		})
	}
}

func TestRegradingDateRules(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	// A backdated application is refused on its field, with the first day.
	c := caseAt(t, "graded")
	_, err := c.Apply(domain.RequestRegrading{AppliedOn: day(2027, 5, 31)}, member, day(2027, 6, 2), p)
	checkErr(t, err, "invalid:applied_on:injury.regrading_too_early")
	// After an appeal the year counts from the provincial conclusion.
	c = caseAt(t, "final")
	if got := c.Grading.RegradingFrom(); !got.Equal(day(2027, 7, 20)) {
		t.Errorf("regrading after the appeal from %s", got)
	}
	transitionReason(t, c, domain.RequestRegrading{AppliedOn: day(2027, 7, 19)}, caseworker, day(2027, 7, 19), "injury.regrading_too_early")
	// A review conclusion is municipal: it opens the appeal window again
	// and replaces the grade.
	if _, err := c.Apply(domain.RequestRegrading{AppliedOn: day(2027, 7, 20)}, caseworker, day(2027, 7, 20), p); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Apply(domain.RecordGrade{GradedOn: day(2027, 9, 1), Grade: 3, Nursing: domain.NursingMost}, caseworker, day(2027, 9, 1), p); err != nil {
		t.Fatal(err)
	}
	if g := c.Grading; g.Round != domain.RoundReview || g.Final() || g.PreviousGrade != 4 || g.Grade != 3 {
		t.Errorf("after the review = %+v", g)
	}
	if k := c.Clock(domain.ClockAppeal); k == nil || !k.LastDay().Equal(day(2027, 9, 16)) {
		t.Errorf("appeal clock after the review = %+v", k)
	}
	// 29 February: the year ends on 28 February (民法典 art. 202).
	if got := domain.RegradingFrom(day(2028, 2, 29)); !got.Equal(day(2029, 2, 28)) {
		t.Errorf("RegradingFrom(2028-02-29) = %s", got)
	}
}

func TestPoliceRegrading(t *testing.T) {
	t.Parallel()
	// A police officer's case: the 3-year first-grading clock ran from the
	// determination and was answered by the application; re-grading
	// (调整残疾等级) waits a year like any other.
	c := caseAt(t, "graded")
	if c.Category != "police" {
		t.Fatalf("category = %q", c.Category)
	}
	var police *domain.SLAClock
	for i := range c.Clocks {
		if c.Clocks[i].Kind == domain.ClockPoliceGrading {
			police = &c.Clocks[i]
		}
	}
	if police == nil || police.Outcome != domain.OutcomeMet {
		t.Fatalf("police grading clock = %+v", police)
	}
	transitionReason(t, c, domain.RequestRegrading{AppliedOn: day(2027, 5, 31)}, unitHead, day(2027, 5, 31), "injury.regrading_too_early")
	if _, err := c.Apply(domain.RequestRegrading{AppliedOn: day(2027, 6, 1)}, unitHead, day(2027, 6, 1), domain.DefaultPolicy()); err != nil {
		t.Fatal(err)
	}
}

func TestAppealClockLapses(t *testing.T) {
	t.Parallel()
	k := domain.DefaultPolicy().Appeal(day(2026, 6, 1))
	due := time.Date(2026, 6, 16, 16, 0, 0, 0, time.UTC)
	if !k.DueAt.Equal(due) || !k.NextFireAt().Equal(due) || !k.LastDay().Equal(day(2026, 6, 16)) {
		t.Fatalf("appeal clock = %+v", k)
	}
	if k.Lapse(due.Add(-time.Second)) {
		t.Error("lapsed before its deadline")
	}
	if _, raised := k.Escalate(due.Add(30 * 24 * time.Hour)); raised {
		t.Error("an appeal window escalated")
	}
	if s := k.Status(due); s != domain.StatusDone {
		t.Errorf("status past the window = %s, want done", s)
	}
	if !k.Lapse(due) || k.Outcome != domain.OutcomeLapsed || k.Active() || !k.NextFireAt().IsZero() {
		t.Errorf("after lapse = %+v", k)
	}
	if k.Lapse(due.Add(time.Hour)) {
		t.Error("lapsed twice")
	}
	// Other clocks never lapse.
	g := domain.DefaultPolicy().Grading(day(2026, 6, 1))
	if g.Lapse(g.DueAt.Add(time.Hour)) {
		t.Error("a grading clock lapsed")
	}
	// A window ending in the National Day week moves to the 8th.
	cal := holidays{}
	for d := 1; d <= 7; d++ {
		cal[day(2026, 10, d)] = true
	}
	withCal := domain.DefaultPolicy()
	withCal.Calendar = cal
	w := withCal.Appeal(day(2026, 9, 20))
	if got := w.LastDay(); !got.Equal(day(2026, 10, 8)) {
		t.Errorf("appeal over the holidays ends %s", got)
	}
}
