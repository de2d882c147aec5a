package domain

import (
	"strconv"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// Visit is one visit to a family (走访慰问): who went, when, what was given
// and what the family raised. Photos are documents kept beside it.
type Visit struct {
	ID       string
	RecordID string
	Occasion Occasion
	// Year is the plan year the visit counts for (0 for "other").
	Year         int
	VisitedOn    time.Time
	Visitors     []string
	Given        []Gift
	FamilyRaised string
	Notes        string
	RecordedBy   string
	RecordedName string
	CreatedAt    time.Time
	Photos       []Document
}

// Gift is one thing given on a visit; Amount is its value in fen (0 when
// not money and not valued).
type Gift struct {
	Description string    `json:"description"`
	Amount      money.Fen `json:"amount"`
}

// Total is the value given on the visit, in fen.
func (v Visit) Total() money.Fen {
	var t money.Fen
	for _, g := range v.Given {
		t += g.Amount
	}
	return t
}

// Limits of a visit's lists.
const (
	MaxVisitors = 10
	MaxGifts    = 20
	// MaxGiftAmount caps one gift at ¥100,000: a larger sum is a grant,
	// paid through an application, not a visit.
	MaxGiftAmount money.Fen = 10_000_000
)

// CheckVisit validates a visit to rec recorded on today: a known
// occasion, a date that is neither in the future nor before the record's
// event, at least one visitor, gifts with a description and a value within
// bounds, and texts within their limits.
func CheckVisit(v *Visit, rec CareRecord, today time.Time) error {
	var p fielderr.List
	if !v.Occasion.Valid() {
		p.Add("occasion", CodeUnknownValue, string(v.Occasion))
	}
	earliest := DateOf(rec.CreatedAt)
	if !rec.DiedOn.IsZero() && rec.DiedOn.Before(earliest) {
		earliest = rec.DiedOn
	}
	switch {
	case v.VisitedOn.IsZero():
		p.Add("visited_on", CodeRequired)
	case v.VisitedOn.After(today):
		p.Add("visited_on", CodeFutureDate)
	case v.VisitedOn.Before(earliest):
		p.Add("visited_on", CodeBeforeCare, earliest.Format(time.DateOnly))
	}
	visitors := v.Visitors[:0:0]
	for _, name := range v.Visitors {
		if name = strings.TrimSpace(name); name != "" {
			visitors = append(visitors, name)
		}
	}
	v.Visitors = visitors
	switch {
	case len(visitors) == 0:
		p.Add("visitors", CodeRequired)
	case len(visitors) > MaxVisitors:
		p.Add("visitors", CodeOutOfRange, 1, MaxVisitors)
	}
	for i, name := range visitors {
		optional(&p, fieldAt("visitors", i), name, MaxNameRunes)
	}
	if len(v.Given) > MaxGifts {
		p.Add("given", CodeOutOfRange, 0, MaxGifts)
	}
	for i := range v.Given {
		g := &v.Given[i]
		g.Description = strings.TrimSpace(g.Description)
		required(&p, fieldAt("given", i)+".description", g.Description, MaxShortText)
		if g.Amount < 0 {
			p.Add(fieldAt("given", i)+".amount", CodeNegative)
		} else if g.Amount > MaxGiftAmount {
			p.Add(fieldAt("given", i)+".amount", CodeOverCap, MaxGiftAmount)
		}
	}
	v.FamilyRaised, v.Notes = strings.TrimSpace(v.FamilyRaised), strings.TrimSpace(v.Notes)
	optional(&p, "family_raised", v.FamilyRaised, MaxLongText)
	optional(&p, "notes", v.Notes, MaxLongText)
	return p.Err()
}

func fieldAt(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

// Field codes of care inputs.
const (
	// CodeFutureDate: a date after today.
	CodeFutureDate = "grants.field.future_date"
	// CodeBeforeCare: a visit dated before the family's record began
	// (argument: the earliest date).
	CodeBeforeCare = "grants.field.before_care"
	// CodePastDate: a deadline before today.
	CodePastDate = "grants.field.past_date"
)
