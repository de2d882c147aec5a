package events_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/bus/bustest"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/events"
)

// TestPayloadsMatchSchemas checks each published payload against its JSON
// Schema in api/events: a sample validates, the struct's fields are exactly
// the schema's properties, and every field without omitempty is required.
func TestPayloadsMatchSchemas(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	r := domain.LeaveRequest{ID: "0193a3b4-0000-7000-8000-000000000001", MemberID: "m1", UnitID: "u1",
		From: domain.Date(2026, 12, 1), To: domain.Date(2026, 12, 2), Days: 2, Version: 2}
	approved, err := events.LeaveApproved(r, "head1", now)
	if err != nil {
		t.Fatal(err)
	}
	rejected, err := events.LeaveRejected(r, "head1", now)
	if err != nil {
		t.Fatal(err)
	}
	booked, err := events.RecuperationBooked(domain.Booking{ID: "0193a3b4-0000-7000-8000-000000000002", MemberID: "m1", UnitID: "u1", Version: 1},
		domain.Session{ID: "0193a3b4-0000-7000-8000-000000000003", FacilityID: "0193a3b4-0000-7000-8000-000000000004", From: domain.Date(2026, 12, 20), To: domain.Date(2026, 12, 26)}, true, now)
	if err != nil {
		t.Fatal(err)
	}
	overdue, err := events.HealthCheckOverdue(domain.Member{ID: "m1", UnitID: "u1"}, 2026, domain.Date(2026, 12, 15), domain.Date(2026, 12, 16), now)
	if err != nil {
		t.Fatal(err)
	}
	reminder, err := events.HealthCheckReminder(domain.Member{ID: "m1", UnitID: "u1"}, 2026, domain.Date(2026, 12, 15), domain.Date(2026, 12, 1), now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		file   string
		data   json.RawMessage
		typ    string
		sample any
	}{
		{"leave.approved", "leave.leave.approved.v1.json", approved.Data, approved.Type, events.LeaveApprovedV1{}},
		{"leave.rejected", "leave.leave.rejected.v1.json", rejected.Data, rejected.Type, events.LeaveRejectedV1{}},
		{"recuperation.booked", "leave.recuperation.booked.v1.json", booked.Data, booked.Type, events.RecuperationBookedV1{}},
		{"healthcheck.overdue", "leave.healthcheck.overdue.v1.json", overdue.Data, overdue.Type, events.HealthCheckOverdueV1{}},
		{"healthcheck.reminder", "leave.healthcheck.reminder.v1.json", reminder.Data, reminder.Type, events.HealthCheckReminderV1{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.typ != tt.name {
				t.Fatalf("event type %q", tt.typ)
			}
			path := "../../../../api/events/" + tt.file
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			bustest.CheckPublishes(t, bustest.CompileSchema(t, path), tt.data)
			var meta struct {
				Required   []string                   `json:"required"`
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if err := json.Unmarshal(raw, &meta); err != nil {
				t.Fatal(err)
			}
			typ := reflect.TypeOf(tt.sample)
			var fields []string
			for i := range typ.NumField() {
				name, opts, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
				fields = append(fields, name)
				if _, ok := meta.Properties[name]; !ok {
					t.Errorf("field %s is not in the schema", name)
				}
				if !strings.Contains(opts, "omitempty") && !slices.Contains(meta.Required, name) {
					t.Errorf("field %s is always sent but not required", name)
				}
			}
			for p := range meta.Properties {
				if !slices.Contains(fields, p) {
					t.Errorf("schema property %s has no field", p)
				}
			}
		})
	}
}

func TestMemberFromV1(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      events.MemberV1
		left    string
		wantErr bool
	}{
		{"active", events.MemberV1{MemberID: "m", UnitID: "u", Category: "police", Status: "active", HireDate: "2010-01-01"}, "", false},
		{"retired: employed until the day before", events.MemberV1{MemberID: "m", UnitID: "u", Category: "judge", Status: "retired", StatusDate: "2026-07-01", HireDate: "2010-01-01"}, "2026-06-30", false},
		{"unknown category", events.MemberV1{MemberID: "m", UnitID: "u", Category: "pilot", Status: "active", HireDate: "2010-01-01"}, "", true},
		{"left without a date", events.MemberV1{MemberID: "m", UnitID: "u", Category: "police", Status: "left", HireDate: "2010-01-01"}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := events.MemberFromV1(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && tt.left != "" && m.LeftOn.Format(time.DateOnly) != tt.left {
				t.Fatalf("left on %s, want %s", m.LeftOn, tt.left)
			}
		})
	}
}

// TestConsumedPayloadsMatchProducers checks the fields this service reads
// from enrollment's and injury's events against their schemas.
func TestConsumedPayloadsMatchProducers(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"registered", "updated", "deceased"} {
		bustest.CheckConsumes(t, "../../../../api/events/enrollment.member."+typ+".v1.json", events.MemberV1{})
	}
}

// TestMemberFromV1KeepsName: the projection takes the name of every
// member.* payload, and a payload without one still applies (name "").
func TestMemberFromV1KeepsName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
	}{
		{"named", "张三"},
		{"without a name", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := events.MemberFromV1(events.MemberV1{MemberID: "m", UnitID: "u", Name: tt.in, Category: "police", Status: "active", HireDate: "2010-01-01"})
			if err != nil || m.Name != tt.in {
				t.Fatalf("member %+v, err %v; want name %q", m, err, tt.in)
			}
		})
	}
}
