package domain

import (
	"net/mail"
	"regexp"
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Preferences are what one person asked for: where to reach them, which
// channels for each kind, and their quiet hours.
type Preferences struct {
	Email  string
	Mobile string
	// Channels per kind; a kind that is absent gets DefaultChannels.
	Channels map[Kind][]Channel
	// Quiet, when set, holds non-critical deliveries until it ends.
	Quiet   *QuietHours
	Version int64
}

// QuietHours is a daily window in Asia/Shanghai, in minutes after midnight.
// Start after End wraps midnight (22:00–07:00).
type QuietHours struct {
	Start int
	End   int
}

// DefaultChannels is what a kind goes out on when the person chose
// nothing: e-mail, and for a critical notice a text message as well.
func DefaultChannels(critical bool) []Channel {
	if critical {
		return []Channel{ChannelEmail, ChannelSMS}
	}
	return []Channel{ChannelEmail}
}

// ChannelsFor is the delivery channels of a notice of kind k for this
// person. A critical notice always includes SMS when the person gave a
// mobile number: a critical case is not left to e-mail alone.
func (p Preferences) ChannelsFor(k Kind, critical bool) []Channel {
	chosen, ok := p.Channels[k]
	if !ok {
		chosen = DefaultChannels(critical)
	}
	out := slices.Clone(chosen)
	if critical && !slices.Contains(out, ChannelSMS) {
		out = append(out, ChannelSMS)
	}
	return out
}

// Address is where the person is reached on c, or "" when they gave none.
// The group robots post to their configured group (mentioning the mobile
// number when there is one), so they need no address of the person's.
func (p Preferences) Address(c Channel) (string, bool) {
	switch c {
	case ChannelEmail:
		return p.Email, p.Email != ""
	case ChannelSMS:
		return p.Mobile, p.Mobile != ""
	case ChannelDingTalk, ChannelWeCom:
		return p.Mobile, true
	}
	return "", false
}

// SendAt is when a notice made at now may go out to this person: now, or
// for a non-critical notice inside their quiet hours, the moment those end.
// Deferred, never dropped.
func (p Preferences) SendAt(now time.Time, critical bool) time.Time {
	if critical || p.Quiet == nil || p.Quiet.Start == p.Quiet.End {
		return now
	}
	local := now.In(clock.Shanghai)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, clock.Shanghai)
	m := local.Hour()*60 + local.Minute()
	q := *p.Quiet
	at := func(dayOffset, minute int) time.Time {
		return midnight.AddDate(0, 0, dayOffset).Add(time.Duration(minute) * time.Minute).UTC()
	}
	switch {
	case q.Start < q.End && m >= q.Start && m < q.End:
		return at(0, q.End)
	case q.Start > q.End && m >= q.Start:
		return at(1, q.End)
	case q.Start > q.End && m < q.End:
		return at(0, q.End)
	}
	return now
}

var mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// Validate lists every problem with p.
func (p Preferences) Validate() fielderr.List {
	var errs fielderr.List
	if p.Email != "" {
		a, err := mail.ParseAddress(p.Email)
		if err != nil || a.Address != p.Email || a.Name != "" || len(p.Email) > 254 {
			errs.Add("email", "notify.invalid_email")
		}
	}
	if p.Mobile != "" && !mobilePattern.MatchString(p.Mobile) {
		errs.Add("mobile", "notify.invalid_mobile")
	}
	for k, cs := range p.Channels {
		if !k.Valid() {
			errs.Add("channels."+string(k), "notify.unknown_kind")
			continue
		}
		for _, c := range cs {
			if !c.Valid() {
				errs.Add("channels."+string(k), "notify.unknown_channel")
				break
			}
		}
	}
	if q := p.Quiet; q != nil {
		if q.Start < 0 || q.Start > 1439 {
			errs.Add("quiet_start", "notify.invalid_time")
		}
		if q.End < 0 || q.End > 1439 {
			errs.Add("quiet_end", "notify.invalid_time")
		}
	}
	slices.SortFunc(errs, func(a, b fielderr.Problem) int {
		if a.Field < b.Field {
			return -1
		}
		if a.Field > b.Field {
			return 1
		}
		return 0
	})
	return errs
}
