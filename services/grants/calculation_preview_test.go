package grants_test

import (
	"testing"
)

// TestStatutoryPreviewSavesNothing: a caseworker learns a statutory amount
// with its breakdown without an application: no application, no GA
// number, no audit entry and no event; missing facts are field problems;
// an officer may not use it.
func TestStatutoryPreviewSavesNothing(t *testing.T) {
	h := start(t)
	snapshot := func() [4]int {
		return [4]int{
			h.count(`SELECT count(*) FROM applications`),
			h.count(`SELECT coalesce(sum(last_no), 0)::int FROM application_counters`),
			h.count(`SELECT count(*) FROM audit_log`),
			h.count(`SELECT count(*) FROM outbox`),
		}
	}
	before := snapshot()
	w := h.do(&caseworker, "POST", "/calculations/preview", map[string]any{"calculator": "martyr_grant", "event_date": "2025-05-01"}, 0)
	want(t, w, 200, "")
	got := decode[struct {
		Amount    int64 `json:"amount"`
		Saved     bool  `json:"saved"`
		Breakdown struct {
			Items []struct {
				Text     string `json:"text"`
				Citation string `json:"citation"`
			} `json:"items"`
		} `json:"breakdown"`
	}](t, w)
	// 30 × the 2024 national urban income (54,188 yuan), 烈士褒扬条例 art. 15.
	if got.Amount != 30*5418800 || got.Saved || len(got.Breakdown.Items) != 1 || got.Breakdown.Items[0].Citation == "" || got.Breakdown.Items[0].Text == "" {
		t.Errorf("preview = %+v", got)
	}
	w = h.do(&caseworker, "POST", "/calculations/preview", map[string]any{"calculator": "disability_lump_sum", "event_date": "2026-03-01", "grade": 11}, 0)
	want(t, w, 422, "validation_failed")
	want(t, h.do(&caseworker, "POST", "/calculations/preview", map[string]any{"calculator": "police_lump_sum", "event_date": "yesterday"}, 0), 422, "validation_failed")
	want(t, h.do(&caseworker, "POST", "/calculations/preview", map[string]any{"calculator": "bonus"}, 0), 422, "validation_failed")
	want(t, h.do(&officer, "POST", "/calculations/preview", map[string]any{"calculator": "martyr_grant", "event_date": "2025-05-01"}, 0), 403, "forbidden")
	if after := snapshot(); after != before {
		t.Errorf("the preview changed applications/numbers/audit/outbox: %v → %v", before, after)
	}
}
