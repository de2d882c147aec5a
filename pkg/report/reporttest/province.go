// Package reporttest measures the services' reporting routes (GET
// /api/v1/<service>/reports/overview) on read models of a province, the
// size the committee's work overview must answer in 200 ms at
// (docs/PERFORMANCE.md). Each service fills its own read models; the
// route, the callers and the months are the same for all three, so their
// benchmarks compare.
package reporttest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// Province sizes: the scale seed's units, and two years of months from
// FirstMonth (TestOverviewLatencyAtProvinceScale fills the same).
const (
	Units  = 300
	Months = 24
)

// FirstMonth is the first month the read models are filled for.
var FirstMonth = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// UnitIDs are the province's units: unit-001 … unit-300.
func UnitIDs() []string {
	ids := make([]string, Units)
	for i := range ids {
		ids[i] = fmt.Sprintf("unit-%03d", i+1)
	}
	return ids
}

// Fill runs a service's statements that fill its read models on the
// schema of env's database: $1 is the units (text[]), $2 the first month
// (date), $3 the months. The statements end with ANALYZE, as a live
// database's autovacuum would have.
func Fill(tb testing.TB, env *apptest.Env, schema string, statements ...string) {
	tb.Helper()
	ctx := context.Background()
	db, err := pg.Open(ctx, pg.Config{URL: env.Deps.Config.DatabaseURL, Schema: schema, MaxOpenConns: 1})
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	for _, s := range statements {
		args := []any{pq.Array(UnitIDs()), FirstMonth.Format(time.DateOnly), Months}[:maxParam(s)]
		if _, err := db.ExecContext(ctx, s, args...); err != nil {
			tb.Fatalf("%s: %v\n%s", schema, err, s)
		}
	}
}

// maxParam is the highest $n a statement uses (1 to 3).
func maxParam(s string) int {
	for n := 3; n > 0; n-- {
		if strings.Contains(s, fmt.Sprintf("$%d", n)) {
			return n
		}
	}
	return 0
}

// BenchmarkRoute measures GET /api/v1/<service>/reports/overview through
// h, the service's whole handler (token check, filter, store, JSON), as
// the committee (every unit, one year and two) and as a unit head.
func BenchmarkRoute(b *testing.B, env *apptest.Env, h http.Handler, service string) {
	leader := auth.Identity{UserID: "u-lead", Name: "郑书记", Roles: []auth.Role{auth.RoleLeader}}
	head := auth.Identity{UserID: "u-head", Name: "钱所长", Roles: []auth.Role{auth.RoleUnitHead}, Units: []string{"unit-001"}}
	for _, c := range []struct {
		name  string
		who   *auth.Identity
		query string
	}{
		{"committee-12-months", &leader, "from=2026-01&to=2026-12"},
		{"committee-24-months", &leader, "from=2025-01&to=2026-12"},
		{"unit-head-12-months", &head, "from=2026-01&to=2026-12"},
	} {
		b.Run(c.name, func(b *testing.B) {
			path := "/api/v1/" + service + "/reports/overview?" + c.query
			b.ReportAllocs()
			for b.Loop() {
				w := env.Do(b, h, c.who, http.MethodGet, path, nil)
				if w.Code != http.StatusOK {
					b.Fatalf("%s = %d %s", path, w.Code, w.Body)
				}
				b.SetBytes(int64(w.Body.Len()))
			}
		})
	}
}
