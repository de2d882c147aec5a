package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// Date is a calendar date in JSON, "YYYY-MM-DD".
type Date struct{ time.Time }

var errDate = errors.New("not a date as YYYY-MM-DD")

// UnmarshalJSON reads "YYYY-MM-DD"; anything else is a field.invalid problem.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errDate
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1900 {
		// No date Anxin deals with is older; year 1 would also read as "no date".
		return errDate
	}
	d.Time = t
	return nil
}

// MarshalJSON writes "YYYY-MM-DD" (null for the zero date).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(strconv.Quote(d.Format(time.DateOnly))), nil
}

func dateOf(t time.Time) *Date {
	if t.IsZero() {
		return nil
	}
	return &Date{t}
}

// Step is one localized line of an explanation.
type Step struct {
	Code string `json:"code"`
	Text string `json:"text"`
}

type balanceJSON struct {
	MemberID   string `json:"member_id"`
	Year       int    `json:"year"`
	AsOf       Date   `json:"as_of"`
	Accrued    int    `json:"accrued"`
	Taken      int    `json:"taken"`
	Adjusted   int    `json:"adjusted"`
	CarriedIn  int    `json:"carried_in"`
	CarriedOut int    `json:"carried_out"`
	Expired    int    `json:"expired"`
	Days       int    `json:"days"`
	Pending    int    `json:"pending"`
	Available  int    `json:"available"`
	// Entitled − Taken − Pending = Available: the one way every page
	// shows a balance.
	Entitled int `json:"entitled"`
	// Projected: accrued includes an entitlement the rollover has not
	// booked yet (domain.ProjectedAccruals); ProjectedDays is that part.
	Projected     bool `json:"projected"`
	ProjectedDays int  `json:"projected_days"`
}

func toBalance(b domain.Balance) balanceJSON {
	return balanceJSON{MemberID: b.MemberID, Year: b.Year, AsOf: Date{b.AsOf}, Accrued: b.Accrued, Taken: b.Taken, Adjusted: b.Adjusted,
		CarriedIn: b.CarriedIn, CarriedOut: b.CarriedOut, Expired: b.Expired, Days: b.Days, Pending: b.Pending, Available: b.Available, Entitled: b.Entitled,
		Projected: b.Projected, ProjectedDays: b.ProjectedDays}
}

type ledgerLineJSON struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	Days        int    `json:"days"`
	EffectiveOn Date   `json:"effective_on"`
	Reason      string `json:"reason,omitempty"`
	RequestID   string `json:"request_id,omitempty"`
	Running     int    `json:"running"`
	Projected   bool   `json:"projected,omitempty"`
}

type decisionJSON struct {
	Level   int       `json:"level"`
	Actor   string    `json:"actor"`
	Outcome string    `json:"outcome"`
	Comment string    `json:"comment,omitempty"`
	At      time.Time `json:"at"`
}

type requestJSON struct {
	ID           string         `json:"id"`
	MemberID     string         `json:"member_id"`
	MemberName   string         `json:"member_name"`
	UnitID       string         `json:"unit_id"`
	From         Date           `json:"from"`
	To           Date           `json:"to"`
	Days         int            `json:"days"`
	RestoredDays int            `json:"restored_days"`
	Reason       string         `json:"reason"`
	Status       string         `json:"status"`
	SecondLevel  bool           `json:"second_level"`
	Decisions    []decisionJSON `json:"decisions"`
	CreatedAt    time.Time      `json:"created_at"`
	Version      int64          `json:"version"`
	// Actions are the steps the caller may take on the request now
	// (approve, reject, cancel): a page offers exactly these.
	Actions []string `json:"actions"`
	// ProvisionalCalendar: Days were counted with the provisional calendar
	// of a year whose official calendar was not entered yet.
	ProvisionalCalendar bool `json:"provisional_calendar"`
	// Balance is the member's balance for the year the request starts in,
	// in lists asked with ?balances=true only.
	Balance *balanceJSON `json:"balance,omitempty"`
}

func toRequest(r domain.LeaveRequest, caller domain.Caller, today time.Time) requestJSON {
	out := requestJSON{ID: r.ID, MemberID: r.MemberID, MemberName: r.MemberName, UnitID: r.UnitID, From: Date{r.From}, To: Date{r.To}, Days: r.Days,
		RestoredDays: r.RestoredDays, Reason: r.Reason, Status: string(r.Status), SecondLevel: r.SecondLevel,
		Decisions: []decisionJSON{}, CreatedAt: r.CreatedAt, Version: r.Version, Actions: r.Actions(caller, today),
		ProvisionalCalendar: r.ProvisionalCalendar}
	for _, d := range r.Decisions {
		out.Decisions = append(out.Decisions, decisionJSON{Level: d.Level, Actor: d.Actor, Outcome: string(d.Outcome), Comment: d.Comment, At: d.At})
	}
	return out
}

type facilityJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
	Active   bool   `json:"active"`
	Version  int64  `json:"version"`
}

type sessionJSON struct {
	ID         string `json:"id"`
	FacilityID string `json:"facility_id"`
	From       Date   `json:"from"`
	To         Date   `json:"to"`
	Capacity   int    `json:"capacity"`
	Booked     int    `json:"booked"`
	Version    int64  `json:"version"`
}

func toSession(s domain.Session) sessionJSON {
	return sessionJSON{ID: s.ID, FacilityID: s.FacilityID, From: Date{s.From}, To: Date{s.To}, Capacity: s.Capacity, Booked: s.Booked, Version: s.Version}
}

type quotaJSON struct {
	Year    int    `json:"year"`
	UnitID  string `json:"unit_id"`
	Places  int    `json:"places"`
	Used    int    `json:"used"`
	Version int64  `json:"version"`
}

type bookingJSON struct {
	ID          string    `json:"id"`
	SessionID   string    `json:"session_id"`
	MemberID    string    `json:"member_id"`
	MemberName  string    `json:"member_name"`
	UnitID      string    `json:"unit_id"`
	Year        int       `json:"year"`
	Status      string    `json:"status"`
	WaitReason  string    `json:"wait_reason,omitempty"`
	Priority    int       `json:"priority"`
	RequestedBy string    `json:"requested_by"`
	RequestedAt time.Time `json:"requested_at"`
	Version     int64     `json:"version"`
}

func toBooking(b domain.Booking) bookingJSON {
	return bookingJSON{ID: b.ID, SessionID: b.SessionID, MemberID: b.MemberID, MemberName: b.MemberName, UnitID: b.UnitID, Year: b.Year, Status: string(b.Status),
		WaitReason: b.WaitReason, Priority: b.Priority, RequestedBy: b.RequestedBy, RequestedAt: b.RequestedAt, Version: b.Version}
}

type roundJSON struct {
	ID      string `json:"id"`
	UnitID  string `json:"unit_id"`
	Year    int    `json:"year"`
	Opens   Date   `json:"opens"`
	Closes  Date   `json:"closes"`
	Version int64  `json:"version"`
}

func toRound(r domain.Round) roundJSON {
	return roundJSON{ID: r.ID, UnitID: r.UnitID, Year: r.Year, Opens: Date{r.Opens}, Closes: Date{r.Closes}, Version: r.Version}
}

type slotJSON struct {
	ID       string    `json:"id"`
	RoundID  string    `json:"round_id"`
	StartsAt time.Time `json:"starts_at"`
	Capacity int       `json:"capacity"`
	Booked   int       `json:"booked"`
	Version  int64     `json:"version"`
	Place    string    `json:"place"`
	Notes    string    `json:"notes"`
}

func toSlot(s domain.Slot) slotJSON {
	return slotJSON{ID: s.ID, RoundID: s.RoundID, StartsAt: s.StartsAt, Capacity: s.Capacity, Booked: s.Booked, Version: s.Version,
		Place: s.Place, Notes: s.Notes}
}

type checkJSON struct {
	ID          string `json:"id"`
	RoundID     string `json:"round_id"`
	SlotID      string `json:"slot_id"`
	MemberID    string `json:"member_id"`
	MemberName  string `json:"member_name"`
	UnitID      string `json:"unit_id"`
	Year        int    `json:"year"`
	Status      string `json:"status"`
	CompletedOn *Date  `json:"completed_on"`
	Version     int64  `json:"version"`
}

func toCheck(b domain.CheckBooking) checkJSON {
	return checkJSON{ID: b.ID, RoundID: b.RoundID, SlotID: b.SlotID, MemberID: b.MemberID, MemberName: b.MemberName, UnitID: b.UnitID, Year: b.Year,
		Status: string(b.Status), CompletedOn: dateOf(b.CompletedOn), Version: b.Version}
}

type complianceJSON struct {
	UnitID  string   `json:"unit_id"`
	Year    int      `json:"year"`
	Active  int      `json:"active"`
	Done    int      `json:"done"`
	Booked  int      `json:"booked"`
	Due     int      `json:"due"`
	Overdue []string `json:"overdue"`
	// Percent is the share done as a decimal string with two places
	// ("87.50"), from integer basis points: no float rounding.
	Percent string `json:"percent"`
	// OverdueMembers are the overdue members, in the same order, with names.
	OverdueMembers []memberRefJSON `json:"overdue_members"`
}

// memberRefJSON is a member in a list of members: id and name ("" for a
// member projected before names were kept).
type memberRefJSON struct {
	MemberID   string `json:"member_id"`
	MemberName string `json:"member_name"`
}

func toMemberRefs(ms []domain.MemberRef) []memberRefJSON {
	out := make([]memberRefJSON, len(ms))
	for i, m := range ms {
		out[i] = memberRefJSON{MemberID: m.ID, MemberName: m.Name}
	}
	return out
}

func toCompliance(c domain.Compliance) complianceJSON {
	overdue := c.Overdue
	if overdue == nil {
		overdue = []string{}
	}
	return complianceJSON{UnitID: c.UnitID, Year: c.Year, Active: c.Active, Done: c.Done, Booked: c.Booked, Due: c.Due,
		Overdue: overdue, Percent: fmt.Sprintf("%d.%02d", c.BasisPoints/100, c.BasisPoints%100), OverdueMembers: toMemberRefs(c.OverdueMembers)}
}
