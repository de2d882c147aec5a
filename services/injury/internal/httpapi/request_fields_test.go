package httpapi

import (
	"testing"
	"time"
)

func TestRequestFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		instant  bool
		want     time.Time
		bad      bool
	}{
		{name: "date", in: "2026-03-10", want: time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)},
		{name: "impossible date", in: "2026-02-30", bad: true},
		{name: "rfc3339", in: "2026-03-10T08:30:00+08:00", instant: true, want: time.Date(2026, 3, 10, 0, 30, 0, 0, time.UTC)},
		{name: "local minutes", in: "2026-03-10T08:30", instant: true, want: time.Date(2026, 3, 10, 0, 30, 0, 0, time.UTC)},
		{name: "garbage instant", in: "soon", instant: true, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var fe fieldErrors
			var got time.Time
			if tt.instant {
				got = fe.instant("f", tt.in)
			} else {
				got = fe.date("f", tt.in)
			}
			if (len(fe) > 0) != tt.bad || !got.Equal(tt.want) {
				t.Errorf("got %s, problems %v", got, fe)
			}
		})
	}
}

func FuzzRequestFields(f *testing.F) {
	for _, s := range []string{"2026-03-10", "2026-03-10T08:30", "2026-03-10T08:30:00Z", "", "2026-13-01", "9999-12-31T23:59:59+14:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var fe fieldErrors
		d := fe.date("d", s)
		i := fe.instant("i", s)
		if !d.IsZero() && (d.Hour() != 0 || d.Location() != time.UTC) {
			t.Fatalf("date %q = %s", s, d)
		}
		if !i.IsZero() && i.Location() != time.UTC {
			t.Fatalf("instant %q = %s not UTC", s, i)
		}
	})
}
