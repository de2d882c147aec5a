package domain_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/services/notify/internal/domain"
)

func sh(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, clock.Shanghai)
}

func TestQuietHoursDeferNeverDrop(t *testing.T) {
	t.Parallel()
	night := &domain.QuietHours{Start: 22 * 60, End: 7 * 60}
	lunch := &domain.QuietHours{Start: 12 * 60, End: 13*60 + 30}
	cases := []struct {
		name     string
		quiet    *domain.QuietHours
		now      time.Time
		critical bool
		want     time.Time
	}{
		{"no quiet hours", nil, sh(27, 23, 0), false, sh(27, 23, 0)},
		{"before a night window", night, sh(27, 21, 59), false, sh(27, 21, 59)},
		{"late evening waits for the morning", night, sh(27, 23, 15), false, sh(28, 7, 0)},
		{"small hours wait for the same morning", night, sh(28, 3, 0), false, sh(28, 7, 0)},
		{"the window's end is outside it", night, sh(28, 7, 0), false, sh(28, 7, 0)},
		{"critical ignores quiet hours", night, sh(27, 23, 15), true, sh(27, 23, 15)},
		{"a day window", lunch, sh(27, 12, 40), false, sh(27, 13, 30)},
		{"after a day window", lunch, sh(27, 13, 31), false, sh(27, 13, 31)},
		{"a window of no length is none", &domain.QuietHours{Start: 60, End: 60}, sh(27, 1, 0), false, sh(27, 1, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := domain.Preferences{Quiet: tc.quiet}
			if got := p.SendAt(tc.now.UTC(), tc.critical); !got.Equal(tc.want) {
				t.Errorf("SendAt = %s, want %s", clock.Local(got), tc.want)
			}
		})
	}
}

func TestChannelsPerKind(t *testing.T) {
	t.Parallel()
	p := domain.Preferences{Channels: map[domain.Kind][]domain.Channel{
		domain.KindGrantDisbursed: {domain.ChannelWeCom},
		domain.KindCaseOpened:     {},
	}}
	cases := []struct {
		name     string
		kind     domain.Kind
		critical bool
		want     []domain.Channel
	}{
		{"default", domain.KindLeaveApproved, false, []domain.Channel{domain.ChannelEmail}},
		{"chosen", domain.KindGrantDisbursed, false, []domain.Channel{domain.ChannelWeCom}},
		{"chosen none", domain.KindCaseOpened, false, []domain.Channel{}},
		{"a critical case still texts", domain.KindCaseOpened, true, []domain.Channel{domain.ChannelSMS}},
		{"critical default", domain.KindCaseEscalated, true, []domain.Channel{domain.ChannelEmail, domain.ChannelSMS}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := p.ChannelsFor(tc.kind, tc.critical); !slices.Equal(got, tc.want) {
				t.Errorf("ChannelsFor = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAnAttemptDecidesTheNextState(t *testing.T) {
	t.Parallel()
	now := sh(27, 10, 0).UTC()
	cases := []struct {
		name       string
		err        error
		attempts   int
		idempotent bool
		want       domain.State
		wait       time.Duration
	}{
		{"sent", nil, 1, false, domain.StateSent, 0},
		{"refused for good", fmt.Errorf("%w: 550", domain.ErrRejected), 1, true, domain.StateDead, 0},
		{"not sent backs off", fmt.Errorf("%w: dial", domain.ErrNotSent), 1, false, domain.StatePending, time.Minute},
		{"backoff grows", fmt.Errorf("%w: dial", domain.ErrNotSent), 3, false, domain.StatePending, 30 * time.Minute},
		{"attempts used up", fmt.Errorf("%w: dial", domain.ErrNotSent), domain.MaxAttempts, false, domain.StateDead, 0},
		{"unknown, not idempotent: an admin decides", fmt.Errorf("%w: eof", domain.ErrUnknownOutcome), 1, false, domain.StateUnknown, 0},
		{"unknown, idempotent: retried with the same key", fmt.Errorf("%w: eof", domain.ErrUnknownOutcome), 1, true, domain.StatePending, time.Minute},
		{"an unclassified error is retried", errors.New("boom"), 2, false, domain.StatePending, 5 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := domain.After(tc.err, tc.attempts, tc.idempotent, now)
			if o.State != tc.want || (tc.wait > 0 && !o.NextAt.Equal(now.Add(tc.wait))) {
				t.Errorf("After = %+v, want %s after %s", o, tc.want, tc.wait)
			}
		})
	}
	if domain.AfterLapse(false, 1) != domain.StateUnknown || domain.AfterLapse(true, 1) != domain.StatePending {
		t.Error("a lapsed lease is resent only on an idempotent channel")
	}
	if domain.AfterLapse(true, domain.MaxAttempts) != domain.StateDead || domain.AfterLapse(false, domain.MaxAttempts) != domain.StateUnknown {
		t.Error("a lapsed last attempt is resent: a call past MaxAttempts")
	}
}

func TestPreferencesValidate(t *testing.T) {
	t.Parallel()
	p := domain.Preferences{Email: "not an address", Mobile: "12345",
		Channels: map[domain.Kind][]domain.Channel{"nonsense": {domain.ChannelEmail}, domain.KindLeaveApproved: {"fax"}},
		Quiet:    &domain.QuietHours{Start: -1, End: 1440}}
	var got []string
	for _, e := range p.Validate() {
		got = append(got, e.Field+"="+e.Code)
	}
	want := []string{"channels.leave_approved=notify.unknown_channel", "channels.nonsense=notify.unknown_kind",
		"email=notify.invalid_email", "mobile=notify.invalid_mobile", "quiet_end=notify.invalid_time", "quiet_start=notify.invalid_time"}
	if !slices.Equal(got, want) {
		t.Errorf("Validate = %v\nwant %v", got, want)
	}
	ok := domain.Preferences{Email: "wang@example.cn", Mobile: "13800138000", Quiet: &domain.QuietHours{Start: 1320, End: 420}}
	if errs := ok.Validate(); len(errs) != 0 {
		t.Errorf("valid preferences: %v", errs)
	}
}
