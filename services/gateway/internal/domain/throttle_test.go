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
		name             string
		account, address domain.FailureStats
		wantRetry        time.Time // zero: allowed
		wantMinutes      int
	}{
		{name: "no failures"},
		{name: "four account failures pass", account: fails(4)},
		{name: "fifth account failure waits 30s", account: fails(5), wantRetry: last.Add(30 * time.Second), wantMinutes: 1},
		{name: "sixth waits 1m", account: fails(6), wantRetry: last.Add(time.Minute), wantMinutes: 1},
		{name: "eighth waits 4m", account: fails(8), wantRetry: last.Add(4 * time.Minute), wantMinutes: 4},
		{name: "capped at 15m", account: fails(40), wantRetry: last.Add(15 * time.Minute), wantMinutes: 15},
		{name: "wait already over", account: domain.FailureStats{Count: 5, Last: now.Add(-31 * time.Second)}},
		{name: "address is looser", address: fails(29)},
		{name: "address limit", address: fails(30), wantRetry: last.Add(30 * time.Second), wantMinutes: 1},
		{name: "later of the two wins", account: fails(7), address: fails(31), wantRetry: last.Add(2 * time.Minute), wantMinutes: 2},
		{name: "count without time is ignored", account: domain.FailureStats{Count: 9}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := p.Check(now, tc.account, tc.address)
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
