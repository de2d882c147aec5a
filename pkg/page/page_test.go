package page_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
)

func TestCursorRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC)
	c := page.Cursor(at, "0190-abc", 42)
	r, err := page.FromQuery(url.Values{"after": {c}, "limit": {"20"}})
	if err != nil {
		t.Fatal(err)
	}
	var (
		gotAt time.Time
		id    string
		n     int
	)
	ok, err := r.Decode(&gotAt, &id, &n)
	if err != nil || !ok {
		t.Fatalf("decode: %v %v", ok, err)
	}
	if !gotAt.Equal(at) || id != "0190-abc" || n != 42 || r.Limit != 20 || r.Fetch() != 21 {
		t.Errorf("got %v %q %d limit %d", gotAt, id, n, r.Limit)
	}
}

func TestFirstPage(t *testing.T) {
	r, err := page.FromQuery(url.Values{})
	if err != nil || r.Limit != page.DefaultLimit {
		t.Fatalf("%+v %v", r, err)
	}
	var s string
	if ok, err := r.Decode(&s); ok || err != nil {
		t.Errorf("first page decoded: %v %v", ok, err)
	}
}

func TestBadInputNamesTheField(t *testing.T) {
	for name, q := range map[string]url.Values{
		"limit zero":   {"limit": {"0"}},
		"limit big":    {"limit": {"501"}},
		"limit text":   {"limit": {"ten"}},
		"cursor junk":  {"after": {"%%%"}},
		"cursor empty": {"after": {"W10"}}, // "[]"
	} {
		_, err := page.FromQuery(q)
		var he *httpx.Error
		if !errors.As(err, &he) || len(he.Fields) != 1 || he.Status != 422 {
			t.Errorf("%s: %v", name, err)
		}
	}
	r, _ := page.FromQuery(url.Values{"after": {page.Cursor("a", "b")}})
	var one string
	if _, err := r.Decode(&one); err == nil {
		t.Error("a cursor with two keys decoded into one")
	}
}

func TestTrim(t *testing.T) {
	r := page.Request{Limit: 2}
	rows, next := page.Trim(r, []int{1, 2, 3}, func(i int) string { return page.Cursor(i) })
	if len(rows) != 2 || next != page.Cursor(2) {
		t.Errorf("%v %q", rows, next)
	}
	rows, next = page.Trim(r, []int{1, 2}, func(i int) string { return page.Cursor(i) })
	if len(rows) != 2 || next != "" {
		t.Errorf("last page: %v %q", rows, next)
	}
}

// All follows the cursors to the end, and stops at a cursor that repeats
// the one it sent rather than asking for the same page for ever.
func TestAllFollowsTheCursors(t *testing.T) {
	pages := map[string][]int{"": {1, 2}, "a": {3}, "b": {4}}
	nexts := map[string]string{"": "a", "a": "b", "b": ""}
	got, err := page.All(func(after *string) ([]int, *string, error) {
		key := ""
		if after != nil {
			key = *after
		}
		next := nexts[key]
		return pages[key], &next, nil
	})
	if err != nil || !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Fatalf("All = %v, %v", got, err)
	}
	calls := 0
	stuck := "x"
	got, err = page.All(func(*string) ([]int, *string, error) {
		calls++
		return []int{calls}, &stuck, nil
	})
	if err != nil || calls != 2 || !slices.Equal(got, []int{1, 2}) {
		t.Errorf("a repeated cursor: %d calls, %v, %v", calls, got, err)
	}
}
