package enrollment_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/internal/specs"
)

// TestMemberSearchByIdentityNumber: a caseworker finds a member by the
// full identity number (however it is spelled: lower-case x, spaces), only
// within their units; a number that cannot be one is a 422 naming
// id_number in the request's language.
func TestMemberSearchByIdentityNumber(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	number := idNumber(1985, 11, true)
	tests := []struct {
		name   string
		query  string
		status int
		want   []string // member ids found
		field  string   // field=code of a 422
	}{
		{name: "full number", query: number, status: 200, want: []string{w.member}},
		{name: "spaced and lower-case", query: " " + strings.ToLower(number[:6]) + " " + strings.ToLower(number[6:]) + " ", status: 200, want: []string{w.member}},
		{name: "valid number of nobody", query: idNumber(1990, 77, false), status: 200, want: nil},
		{name: "another unit's member stays hidden", query: idNumber(1980, 22, false), status: 200, want: nil},
		{name: "too short", query: number[:10], status: 422, field: "id_number=idcard.length"},
		{name: "bad check character", query: number[:17] + flip(number[17]), status: 422, field: "id_number=idcard.checksum"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := w.do(&w.cwGAJ, "GET", "/members?id_number="+url.QueryEscape(tc.query), nil)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.raw)
			}
			if tc.status == 422 {
				if !slices.Contains(r.fields(), tc.field) {
					t.Errorf("fields %v, want %s", r.fields(), tc.field)
				}
				return
			}
			var got []string
			for _, m := range r.body["members"].([]any) {
				got = append(got, m.(map[string]any)["id"].(string))
			}
			if !slices.Equal(got, tc.want) || int(r.body["total"].(float64)) != len(tc.want) {
				t.Errorf("found %v (total %v), want %v", got, r.body["total"], tc.want)
			}
		})
	}
	r := w.do(&w.cwGAJ, "GET", "/members?id_number=123", nil, "Accept-Language", "zh-CN")
	if !strings.Contains(r.raw, "身份证号码应为18位") {
		t.Errorf("the field message is not in Chinese: %s", r.raw)
	}
}

func flip(c byte) string {
	if c == '1' {
		return "2"
	}
	return "1"
}

// TestMemberListPages: the list pages in name order with pkg/page cursors,
// every member once, and the total counts them all.
func TestMemberListPages(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.env.Contract = specs.MustLoad(t, "enrollment")
	for i := range 7 {
		w.must(&w.cwGAJ, 201, "POST", "/members", map[string]any{
			"unit_id": w.gaj, "name": fmt.Sprintf("民警%02d", i), "category": "police",
			"id_number": idNumber(1990, 100+i, i%2 == 0), "hire_date": "2015-07-01",
		})
	}
	var names []string
	after := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("paging does not end")
		}
		r := w.must(&w.cwGAJ, 200, "GET", "/members?limit=3&after="+url.QueryEscape(after), nil)
		if total := int(r.body["total"].(float64)); total != 8 {
			t.Fatalf("total %d, want 8", total)
		}
		for _, m := range r.body["members"].([]any) {
			names = append(names, m.(map[string]any)["name"].(string))
		}
		if after = r.str("next"); after == "" {
			break
		}
	}
	if len(names) != 8 || !slices.IsSorted(names) {
		t.Errorf("names %v: want 8 in order", names)
	}
	if r := w.do(&w.cwGAJ, "GET", "/members?after=not-ours", nil); r.status != 422 || !slices.Contains(r.fields(), "after=field.invalid") {
		t.Errorf("bad cursor = %d %v", r.status, r.fields())
	}
}
