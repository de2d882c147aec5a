package domain_test

import (
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// The amber notice: once per amber point, never for a clock that does not
// run, never for the appeal window, never once the deadline has gone.
// A critical acknowledgement clock opened at `opened` runs 15 minutes and
// turns amber after 12.
func TestWarnAmber(t *testing.T) {
	t.Parallel()
	p := domain.DefaultPolicy()
	at := func(m int) time.Time { return opened.Add(time.Duration(m) * time.Minute) }
	tests := []struct {
		name  string
		clock func() domain.SLAClock
		run   func(k *domain.SLAClock) []bool // the answers of WarnAmber, in order
		want  []bool
		next  time.Time
	}{
		{name: "green: no warning yet, the sweeper comes back at amber",
			run:  func(k *domain.SLAClock) []bool { return []bool{k.WarnAmber(at(11))} },
			want: []bool{false}, next: at(12)},
		{name: "amber: one warning, a second sweep none, then the deadline",
			run: func(k *domain.SLAClock) []bool {
				return []bool{k.WarnAmber(at(12)), k.WarnAmber(at(13)), k.WarnAmber(at(14))}
			},
			want: []bool{true, false, false}, next: at(15)},
		{name: "first looked at past the deadline: no warning, the escalation tells",
			run:  func(k *domain.SLAClock) []bool { return []bool{k.WarnAmber(at(15)), k.WarnAmber(at(16))} },
			want: []bool{false, false}, next: at(15)},
		{name: "escalated without a sweep at amber: nothing left to warn of",
			run: func(k *domain.SLAClock) []bool {
				k.Escalate(at(20))
				return []bool{k.WarnAmber(at(21))}
			},
			want: []bool{false}, next: at(30)},
		{name: "paused before amber never warns",
			run: func(k *domain.SLAClock) []bool {
				k.Pause(at(5))
				return []bool{k.WarnAmber(at(12)), k.WarnAmber(at(60))}
			},
			want: []bool{false, false}},
		{name: "stopped never warns",
			run: func(k *domain.SLAClock) []bool {
				k.Stop(at(5))
				return []bool{k.WarnAmber(at(12))}
			},
			want: []bool{false}},
		{name: "resumed: the moved amber point warns once more",
			run: func(k *domain.SLAClock) []bool {
				first := k.WarnAmber(at(12))
				k.Pause(at(13))
				k.Resume(at(73)) // due 75, amber 72: already amber again
				return []bool{first, k.WarnAmber(at(73)), k.WarnAmber(at(74))}
			},
			want: []bool{true, true, false}, next: at(75)},
		{name: "resumed before amber: warns at the moved point, not before",
			run: func(k *domain.SLAClock) []bool {
				k.Pause(at(5))
				k.Resume(at(65)) // due 75, amber 72
				return []bool{k.WarnAmber(at(71)), k.WarnAmber(at(72)), k.WarnAmber(at(72))}
			},
			want: []bool{false, true, false}, next: at(75)},
		{name: "extended after the warning: warns again at the new amber point",
			clock: func() domain.SLAClock { return p.Grading(opened) },
			run: func(k *domain.SLAClock) []bool {
				first := k.WarnAmber(k.AmberAt)
				old := k.AmberAt
				k.Extend(domain.GradingExtensionDays)
				return []bool{first, k.WarnAmber(old.Add(time.Hour)), k.WarnAmber(k.AmberAt), k.WarnAmber(k.AmberAt.Add(time.Hour))}
			},
			want: []bool{true, false, true, false}},
		{name: "the appeal window is the member's to let pass: no warning",
			clock: func() domain.SLAClock { return p.Appeal(opened) },
			run: func(k *domain.SLAClock) []bool {
				return []bool{k.WarnAmber(k.AmberAt), k.WarnAmber(k.DueAt.Add(-time.Minute))}
			},
			want: []bool{false, false}},
		{name: "a clock with no amber span never warns",
			clock: func() domain.SLAClock {
				k := p.Acknowledgement(domain.SeverityCritical, opened)
				k.AmberAt = k.DueAt
				return k
			},
			run:  func(k *domain.SLAClock) []bool { return []bool{k.WarnAmber(at(14)), k.WarnAmber(at(15))} },
			want: []bool{false, false}, next: at(15)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k := p.Acknowledgement(domain.SeverityCritical, opened)
			if tt.clock != nil {
				k = tt.clock()
			}
			got := tt.run(&k)
			if len(got) != len(tt.want) {
				t.Fatalf("answers %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("answers %v, want %v", got, tt.want)
					break
				}
			}
			if tt.clock == nil {
				if n := k.NextFireAt(); !n.Equal(tt.next) {
					t.Errorf("next fire = %s, want %s", n, tt.next)
				}
			}
		})
	}
}
