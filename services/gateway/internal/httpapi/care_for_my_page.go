package httpapi

import (
	"time"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// An officer's recuperation stays and health checks as /my shows them (my
// pages). The /care pages themselves live in the leave area
// (pages/leave/care.go) on the generated client; these hand-built reads and
// their mirror structs go when /my moves there too (issue 15).

// careBooking is a recuperation booking (session_id) or a health-check
// booking (round_id, slot_id) of the officer.
type careBooking struct {
	ID          string    `json:"id"`
	SessionID   string    `json:"session_id"`
	RoundID     string    `json:"round_id"`
	SlotID      string    `json:"slot_id"`
	Year        int       `json:"year"`
	Status      string    `json:"status"`
	WaitReason  string    `json:"wait_reason"`
	CompletedOn string    `json:"completed_on"`
	RequestedAt time.Time `json:"requested_at"`
	Version     int64     `json:"version"`
}

// stayView is the officer's stay with where and when it is, why it waits,
// and whether it can still be cancelled (before the stay starts).
type stayView struct {
	careBooking
	Facility  string
	Location  string
	From      string
	To        string
	Wait      *web.Message
	CanCancel bool
}

// checkView is the officer's health check with its time (a slot of a
// round) and whether it can still be cancelled (before the slot's day).
type checkView struct {
	careBooking
	StartsAt  time.Time
	Closes    string
	CanCancel bool
	// Place and Notes are the booked slot's.
	Place, Notes string
}

type itemsOf[T any] struct {
	Items []T `json:"items"`
}

// waitReasons maps the leave service's wait_reason codes to page texts.
var waitReasons = map[string]string{
	"leave.recuperation.session_full":    "web.officer.care.wait.session_full",
	"leave.recuperation.quota_exhausted": "web.officer.care.wait.quota_exhausted",
}
