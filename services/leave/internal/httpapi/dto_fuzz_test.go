package httpapi_test

import (
	"encoding/json"
	"testing"

	"github.com/anxin-welfare/anxin/services/leave/internal/httpapi"
)

// FuzzDate feeds the JSON date decoder anything: it never panics, and what
// it accepts encodes back to the same date.
func FuzzDate(f *testing.F) {
	for _, s := range []string{`"2026-12-01"`, `"2026-02-29"`, `"2026-13-01"`, `null`, `20261201`, `"2026-12-01T00:00:00Z"`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		var d httpapi.Date
		if err := json.Unmarshal(raw, &d); err != nil {
			return
		}
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back httpapi.Date
		if err := json.Unmarshal(out, &back); err != nil || !back.Equal(d.Time) {
			t.Fatalf("%s → %s → %v (%v)", raw, out, back, err)
		}
	})
}
