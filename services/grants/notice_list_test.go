package grants_test

import (
	"net/http"
	"net/url"
	"testing"
)

// noticePage is a page of GET /notices.
type noticePage struct {
	Items []map[string]any `json:"items"`
	Next  string           `json:"next"`
}

// walkNotices follows the next cursor from path as the caseworker and
// fails unless the pages, at least two, hold every notice of want once.
func walkNotices(t *testing.T, h *harness, path string, want map[string]bool) {
	t.Helper()
	seen := map[string]bool{}
	pages := 0
	for next := path; ; pages++ {
		if pages > 10 {
			t.Fatal("the notices' cursor never ends")
		}
		w := h.do(&caseworker, "GET", next, nil, 0)
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", next, w.Code, w.Body)
		}
		p := decode[noticePage](t, w)
		for _, n := range p.Items {
			id := n["id"].(string)
			if seen[id] {
				t.Errorf("notice %s shown twice", id)
			}
			seen[id] = true
			if !want[id] {
				t.Errorf("notice %s is not one of the caseworker's", id)
			}
		}
		if p.Next == "" {
			break
		}
		next = path + "&after=" + url.QueryEscape(p.Next)
	}
	if pages+1 < 2 || len(seen) != len(want) {
		t.Errorf("%d notices over %d pages, want %d over at least 2", len(seen), pages+1, len(want))
	}
}
