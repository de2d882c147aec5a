package grants_test

import (
	"context"
	"encoding/csv"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// seedCare inserts n hardship records of unit, oldest first, straight
// into the service's schema: the lists' pages are what is under test, not
// how records open.
func (h *harness) seedCare(unit string, n int) {
	h.t.Helper()
	db, err := pg.Open(context.Background(), pg.Config{URL: h.env.Deps.Config.DatabaseURL, Schema: "grants", MaxOpenConns: 1})
	if err != nil {
		h.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO care_records (id, member_id, unit_id, kind, subject_name, opened_by, created_at, updated_at)
		SELECT gen_random_uuid(), $1 || '-m-' || i, $1, 'hardship', '困难户' || i, 'seed', $3::timestamptz + make_interval(secs => i), $3
		FROM generate_series(1, $2) i`, unit, n, h.env.Clock.Now().Add(-time.Hour)); err != nil {
		h.t.Fatal(err)
	}
}

type queuePage struct {
	Items []struct {
		RecordID string `json:"record_id"`
		Visit    struct {
			Occasion string `json:"occasion"`
			Status   string `json:"status"`
		} `json:"visit"`
	} `json:"items"`
	Next string `json:"next"`
}

// TestFamilyCareQueuePages: the overdue queue pages by family with
// ?limit&after -> {items,next}; following next shows each family's overdue
// visits once, and a cursor that is not the service's is a 422.
func TestFamilyCareQueuePages(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.seedCare("unit-1", 5)
	h.seedCare("unit-2", 3)
	// past the Spring Festival visit's due date (2027-02-20), none made
	h.env.Clock.Advance(90 * 24 * time.Hour)

	seen := map[string]int{}
	after, pages := "", 0
	for {
		path := "/care/queue?limit=2"
		if after != "" {
			path += "&after=" + url.QueryEscape(after)
		}
		w := h.do(&caseworker, "GET", path, nil, 0)
		want(t, w, 200, "")
		p := decode[queuePage](t, w)
		pages++
		for _, it := range p.Items {
			if it.Visit.Status != "overdue" {
				t.Errorf("queue item %+v is not overdue", it)
			}
			if it.Visit.Occasion == "spring_festival" {
				seen[it.RecordID]++
			}
		}
		if p.Next == "" {
			break
		}
		if pages > 5 {
			t.Fatalf("the queue of 5 families did not end in 3 pages of 2")
		}
		after = p.Next
	}
	if pages != 3 || len(seen) != 5 {
		t.Errorf("%d pages showing %d families' Spring Festival visits, want 3 pages and unit-1's 5 families", pages, len(seen))
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("family %s shown %d times over the pages", id, n)
		}
	}
	want(t, h.do(&caseworker, "GET", "/care/queue?after=not-a-cursor", nil, 0), 422, "validation_failed")
	want(t, h.do(&caseworker, "GET", "/care/queue?limit=0", nil, 0), 422, "validation_failed")
	// the committee's queue holds every unit's
	committee := decode[queuePage](t, h.do(&approverA, "GET", "/care/queue?limit=500", nil, 0))
	ids := map[string]bool{}
	for _, it := range committee.Items {
		ids[it.RecordID] = true
	}
	if len(ids) != 8 || committee.Next != "" {
		t.Errorf("the committee's queue shows %d families (next %q), want 8 on one page", len(ids), committee.Next)
	}
}

// TestFamilyCareExportAndSummaryReadEveryPage: the export and the
// committee's summary read the families a keyset page (500) at a time;
// with more families than a page holds, each family is in the CSV once,
// counted once, and audited.
func TestFamilyCareExportAndSummaryReadEveryPage(t *testing.T) {
	h := start(t)
	h.env.Contract = specs.MustLoad(t, "grants")
	h.seedCare("unit-1", 510)
	h.seedCare("unit-2", 7)
	w := h.do(&approverA, "GET", "/care/export", nil, 0)
	want(t, w, 200, "")
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(w.Body.String(), "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1+517 {
		t.Fatalf("%d CSV rows, want a header and 517 families", len(rows))
	}
	var names []string
	for _, r := range rows[1:] {
		names = append(names, r[2])
	}
	if slices.ContainsFunc(names, func(n string) bool { return strings.Contains(n, "难") || !strings.HasPrefix(n, "困*") }) {
		t.Errorf("the default export is not masked: %v", names[:3])
	}
	if n := h.count(`SELECT count(*) FROM audit_log, jsonb_array_elements_text(after->'record_ids') id
		WHERE action = 'grants.care.export' AND actor = $1`, approverA.UserID); n != 517 {
		t.Errorf("the export's audit names %d families, want 517", n)
	}
	sum := decode[struct {
		Units []struct {
			UnitID   string `json:"unit_id"`
			Families int    `json:"families"`
		} `json:"units"`
		Total struct {
			Families int `json:"families"`
		} `json:"total"`
	}](t, h.do(&approverB, "GET", "/care/summary", nil, 0))
	if sum.Total.Families != 517 || len(sum.Units) != 2 || sum.Units[0].Families != 510 || sum.Units[1].Families != 7 {
		t.Errorf("summary %+v", sum)
	}
}
