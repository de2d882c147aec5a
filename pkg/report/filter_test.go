package report_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/report"
)

// now is 2026-12-31 20:00 UTC: already January 2027 in Shanghai.
var now = time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC)

func TestFromQuery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		q        string
		from, to string
		units    []string
		all      bool
		badField string
	}{
		{name: "defaults: twelve months up to this month in Shanghai", q: "", from: "2026-02-01", to: "2027-01-01", all: true},
		{name: "a range", q: "from=2026-01&to=2026-06", from: "2026-01-01", to: "2026-06-01", all: true},
		{name: "units, deduplicated and sorted", q: "unit=b&unit=a&unit=b", from: "2026-02-01", to: "2027-01-01", units: []string{"a", "b"}},
		{name: "a bad month", q: "from=2026-13", badField: "from"},
		{name: "a bad last month", q: "to=26-01", badField: "to"},
		{name: "from after to", q: "from=2026-07&to=2026-06", badField: "from"},
		{name: "too many months", q: "from=2020-01&to=2026-01", badField: "from"},
		{name: "an empty unit", q: "unit=", badField: "unit"},
		{name: "a control character", q: "unit=a%00", badField: "unit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q, _ := url.ParseQuery(tc.q)
			f, err := report.FromQuery(q, now)
			if tc.badField != "" {
				var he *httpx.Error
				if !errors.As(err, &he) || len(he.Fields) == 0 || he.Fields[0].Field != tc.badField {
					t.Fatalf("FromQuery(%q) = %+v, %v; want a 422 naming %s", tc.q, f, err, tc.badField)
				}
				return
			}
			if err != nil || f.FromDate() != tc.from || f.ToDate() != tc.to || f.All != tc.all || !slices.Equal(f.Units, tc.units) {
				t.Errorf("FromQuery(%q) = %+v (%s..%s), %v", tc.q, f, f.FromDate(), f.ToDate(), err)
			}
		})
	}
}

func TestScope(t *testing.T) {
	t.Parallel()
	all := report.Filter{All: true}
	leader := auth.Identity{UserID: "l", Roles: []auth.Role{auth.RoleLeader}}
	head := auth.Identity{UserID: "h", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"u2", "u1"}}
	officer := auth.Identity{UserID: "o", Roles: []auth.Role{auth.RoleOfficer}, Units: []string{"u1"}}
	if f, err := report.Scope(leader, all); err != nil || !f.All {
		t.Errorf("leader: %+v %v", f, err)
	}
	if f, err := report.Scope(head, all); err != nil || f.All || !slices.Equal(f.Units, []string{"u1", "u2"}) {
		t.Errorf("unit head, every unit: %+v %v", f, err)
	}
	if f, err := report.Scope(head, report.Filter{Units: []string{"u1"}}); err != nil || !slices.Equal(f.Units, []string{"u1"}) {
		t.Errorf("unit head, own unit: %+v %v", f, err)
	}
	var he *httpx.Error
	if _, err := report.Scope(head, report.Filter{Units: []string{"u1", "u3"}}); !errors.As(err, &he) || he.Status != 403 {
		t.Errorf("unit head, another unit: %v", err)
	}
	if _, err := report.Scope(officer, all); !errors.As(err, &he) || he.Status != 403 {
		t.Errorf("officer: %v", err)
	}
	noUnits := auth.Identity{UserID: "h2", Roles: []auth.Role{auth.RoleUnitHead}}
	if f, err := report.Scope(noUnits, all); err != nil || f.All || f.UnitList() == nil || len(f.UnitList()) != 0 {
		t.Errorf("a unit head of no unit must see nothing, not everything: %+v %v", f, err)
	}
}
