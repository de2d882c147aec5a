package leave_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestFacilityListPagesOverHTTP adds facilities through the API and reads
// them back two at a time: every facility exactly once, in name order, the
// last page without a next cursor; a bad limit or cursor is a 422 naming
// the field, in the caller's language.
func TestFacilityListPagesOverHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for i := range 5 {
		if w := h.do(t, &admin, "POST", "/api/v1/leave/recuperation/facilities", map[string]any{"name": fmt.Sprintf("疗养院%d", 5-i)}); w.Code != http.StatusCreated {
			t.Fatalf("add facility: %d %s", w.Code, w.Body)
		}
	}
	var names []string
	after, pages := "", 0
	for {
		w := h.do(t, &officer1, "GET", "/api/v1/leave/recuperation/facilities?limit=2&after="+url.QueryEscape(after), nil)
		if w.Code != http.StatusOK {
			t.Fatalf("page %d: %d %s", pages+1, w.Code, w.Body)
		}
		var p struct {
			Items []struct {
				Name string `json:"name"`
			} `json:"items"`
			Next *string `json:"next"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Next == nil {
			t.Fatalf("page %d is not {items, next}: %s", pages+1, w.Body)
		}
		pages++
		for _, f := range p.Items {
			names = append(names, f.Name)
		}
		if *p.Next == "" {
			break
		}
		after = *p.Next
	}
	if fmt.Sprint(names) != "[疗养院1 疗养院2 疗养院3 疗养院4 疗养院5]" || pages != 3 {
		t.Errorf("%d pages gave %v", pages, names)
	}
	for q, field := range map[string]string{"limit=0": "limit", "limit=501": "limit", "after=%25%25": "after", "after=WyJ4Il0": "after"} {
		w := h.do(t, &officer1, "GET", "/api/v1/leave/recuperation/facilities?"+q, nil, "Accept-Language", "en")
		var pb struct {
			Errors []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"errors"`
		}
		if w.Code != http.StatusUnprocessableEntity || json.Unmarshal(w.Body.Bytes(), &pb) != nil || len(pb.Errors) != 1 || pb.Errors[0].Field != field || pb.Errors[0].Message == "" {
			t.Errorf("?%s: %d %s, want a 422 naming %s", q, w.Code, w.Body, field)
		}
	}
}
