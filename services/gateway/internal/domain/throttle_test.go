package domain_test

import (
	"errors"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

func TestThrottleCheck(t *testing.T) {
	t.Parallel()
	p := domain.DefaultThrottle
	last := now.Add(-10 * time.Second)
	fails := func(n int) domain.FailureStats { return domain.FailureStats{Count: n, Last: last} }
	tests := []struct {
		name        string
		stats       domain.ThrottleStats
		wantRetry   time.Time // zero: allowed
		wantMinutes int
	}{
		{name: "no failures"},
		{name: "four pair failures pass", stats: domain.ThrottleStats{Pair: fails(4), Account: fails(4), Address: fails(4)}},
		{name: "fifth pair failure waits 30s", stats: domain.ThrottleStats{Pair: fails(5)}, wantRetry: last.Add(30 * time.Second), wantMinutes: 1},
		{name: "sixth waits 1m", stats: domain.ThrottleStats{Pair: fails(6)}, wantRetry: last.Add(time.Minute), wantMinutes: 1},
		{name: "eighth waits 4m", stats: domain.ThrottleStats{Pair: fails(8)}, wantRetry: last.Add(4 * time.Minute), wantMinutes: 4},
		{name: "capped at 15m, a delay not a lock", stats: domain.ThrottleStats{Pair: fails(400)}, wantRetry: last.Add(15 * time.Minute), wantMinutes: 15},
		{name: "wait already over", stats: domain.ThrottleStats{Pair: domain.FailureStats{Count: 5, Last: now.Add(-31 * time.Second)}}},
		// Rule 1: an address that has not failed this name is never delayed,
		// however many failures the name or the address has elsewhere.
		{name: "hammered name, fresh address", stats: domain.ThrottleStats{Account: fails(500), Address: fails(3)}},
		{name: "busy address, fresh name", stats: domain.ThrottleStats{Address: fails(500)}},
		// Rule 2: once the pair failed, the address and account budgets apply.
		{name: "address budget slows its failing pairs", stats: domain.ThrottleStats{Pair: fails(1), Address: fails(30)}, wantRetry: last.Add(30 * time.Second), wantMinutes: 1},
		{name: "address within budget", stats: domain.ThrottleStats{Pair: fails(1), Address: fails(29)}},
		{name: "account budget slows its failing pairs", stats: domain.ThrottleStats{Pair: fails(1), Account: fails(21)}, wantRetry: last.Add(time.Minute), wantMinutes: 1},
		{name: "latest of the three wins", stats: domain.ThrottleStats{Pair: fails(7), Address: fails(31)}, wantRetry: last.Add(2 * time.Minute), wantMinutes: 2},
		{name: "count without time is ignored", stats: domain.ThrottleStats{Pair: domain.FailureStats{Count: 9}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := p.Check(now, tc.stats)
			if tc.wantRetry.IsZero() {
				if err != nil {
					t.Fatalf("Check = %v, want allowed", err)
				}
				return
			}
			var te *domain.ThrottledError
			if !errors.As(err, &te) || !errors.Is(err, domain.ErrThrottled) {
				t.Fatalf("Check = %v, want *ThrottledError", err)
			}
			if !te.RetryAt.Equal(tc.wantRetry) || te.Minutes() != tc.wantMinutes || domain.Code(err) != domain.CodeSignInThrottled {
				t.Errorf("RetryAt %v (%d min), want %v (%d min)", te.RetryAt, te.Minutes(), tc.wantRetry, tc.wantMinutes)
			}
		})
	}
}

func TestThrottleSince(t *testing.T) {
	t.Parallel()
	if got := domain.DefaultThrottle.Since(now); !got.Equal(now.Add(-time.Hour)) {
		t.Errorf("Since = %v", got)
	}
}

func TestThrottleKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{name: "normalized", in: " ZhangSan ", want: "zhangsan"},
		{name: "made-up names are keys too", in: "nobody-here", want: "nobody-here"},
		{name: "cut to 64", in: string(make([]byte, 100)), want: string(make([]byte, 64))},
		{name: "invalid utf-8 dropped", in: "ab\xffc", want: "abc"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.ThrottleKey(tc.in); got != tc.want {
				t.Errorf("ThrottleKey(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFailureNoticeInterrupts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		notice domain.FailureNotice
		want   bool
	}{
		{name: "nothing to tell", notice: domain.FailureNotice{}},
		{name: "own typo just now", notice: domain.FailureNotice{Count: 2, Addresses: 1, LastAddress: "10.0.0.1", FirstAt: now.Add(-time.Minute)}},
		{name: "from another address", notice: domain.FailureNotice{Count: 1, Addresses: 1, LastAddress: "203.0.113.9", FirstAt: now.Add(-time.Minute)}, want: true},
		{name: "from several addresses", notice: domain.FailureNotice{Count: 3, Addresses: 2, LastAddress: "10.0.0.1", FirstAt: now.Add(-time.Minute)}, want: true},
		{name: "here, but long ago", notice: domain.FailureNotice{Count: 1, Addresses: 1, LastAddress: "10.0.0.1", FirstAt: now.Add(-time.Hour)}, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := tc.notice.Interrupts("10.0.0.1", now); got != tc.want {
				t.Errorf("Interrupts = %v, want %v", got, tc.want)
			}
		})
	}
}
