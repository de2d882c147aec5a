package gateway_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/app/apptest"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// TestFamilyCarePagesAgainstRealServices walks what the family-care area
// (pages/care) does besides TestBrowserFamilyCareJourney's path, against
// the real grants service through the generated client: the dates a page
// checks before the typed call can carry them, in grants' own words; a
// refusal grants decides, on the form; the committee's summary; and the
// export, masked unless asked, streamed with the service's file.
func TestFamilyCarePagesAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	var record string
	apptest.Eventually(t, 20*time.Second, "张伟's family-care record opened", func() bool {
		r := s.env.Do(t, s.h["grants"], &cw, "POST", "/api/v1/grants/care/records", map[string]any{"member_id": s.member})
		if r.Code == http.StatusCreated {
			var out map[string]any
			_ = json.Unmarshal(r.Body.Bytes(), &out)
			record, _ = out["id"].(string)
		}
		return record != ""
	})
	// grants' words for a date missing or unreadable, which the pages keep
	// where they check a date themselves; the error summary names the field
	required, invalid := i18n.T(i18n.ZH, "grants.field.required"), i18n.T(i18n.ZH, "grants.field.invalid_date")
	enter := func(label string) string { return i18n.T(i18n.ZH, "web.form.summary_enter", i18n.T(i18n.ZH, label)) }

	caseworker := journeySignIn(t, s.gateway, "caseworker")
	if st, page := caseworker.get("/work/family-care"); st != http.StatusOK || !strings.Contains(page, `href="/work/family-care/`+record+`"`) {
		t.Fatalf("the list = %d, lacks the family: %s", st, snippet(page))
	}

	// The visit: a date missing (grants refuses it) or unreadable (the
	// page does) is refused on the form, nothing recorded; a whole visit is
	// recorded.
	visit := "/work/family-care/" + record + "/visit"
	for _, tc := range []struct{ day, want, summary string }{{"", required, enter("web.fcare.visited_on")}, {"2026-13-45", invalid, invalid}} {
		st, _, page := caseworker.post(visit, url.Values{"occasion": {"other"}, "visited_on": {tc.day}, "visitors": {"王经办"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(between(page, `id="visited_on-error"`, "</p>"), tc.want) ||
			!strings.Contains(between(page, `class="error-summary"`, "</div>"), tc.summary) {
			t.Errorf("visit on %q = %d, want 422 saying %q, summed up as %q: %s", tc.day, st, tc.want, tc.summary, snippet(page))
		}
	}
	if st, _, page := caseworker.post(visit, url.Values{"occasion": {"other"}, "visited_on": {"2026-11-27"}, "visitors": {"王经办"}, "cash": {"abc"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(page, i18n.T(i18n.ZH, "web.fcare.cash_invalid")) {
		t.Errorf("a visit with cash abc = %d: %s", st, snippet(page))
	}
	if visits := s.call(t, cw, "GET", "/api/v1/grants/care/records/"+record, nil, 200)["visits"].([]any); len(visits) != 0 {
		t.Fatalf("refused visits were recorded: %v", visits)
	}
	st, loc, page := caseworker.post(visit, url.Values{"occasion": {"other"}, "visited_on": {"2026-11-27"}, "visitors": {"王经办、赵所长"},
		"cash": {"2000"}, "goods": {"米面油"}, "family_raised": {"孩子上学"}})
	if st != http.StatusSeeOther || loc != "/work/family-care/"+record+"?m=visit" {
		t.Fatalf("record the visit = %d %s %s", st, loc, snippet(page))
	}
	_, page = caseworker.get(loc)
	if v := between(page, `<article class="visit">`, "</article>"); !strings.Contains(v, "王经办、赵所长") || !strings.Contains(v, "¥2,000.00") ||
		!strings.Contains(v, "米面油") || !strings.Contains(v, "孩子上学") {
		t.Errorf("the recorded visit shows %s", snippet(v))
	}

	// A matter, and its deadline: a date that is none stays on the
	// matter's own form.
	if st, loc, page := caseworker.post("/work/family-care/"+record+"/matters", url.Values{"kind": {"housing"}, "summary": {"房屋漏雨"}}); st != http.StatusSeeOther ||
		loc != "/work/family-care/"+record+"?m=matter" {
		t.Fatalf("raise a matter = %d %s %s", st, loc, snippet(page))
	}
	matter := s.call(t, cw, "GET", "/api/v1/grants/care/records/"+record, nil, 200)["matters"].([]any)[0].(map[string]any)["id"].(string)
	progress := "/work/family-care/" + record + "/matters/" + matter + "/progress"
	st, _, page = caseworker.post(progress, url.Values{"due_on": {"31/12/2026"}, "note": {"已联系"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(between(page, `id="due-`+matter+`-error"`, "</p>"), invalid) {
		t.Errorf("a deadline of 31/12/2026 = %d, want 422 on the matter's form: %s", st, snippet(page))
	}
	if st, loc, page := caseworker.post(progress, url.Values{"due_on": {"2026-12-31"}, "note": {"已联系"}, "take": {"1"}}); st != http.StatusSeeOther ||
		loc != "/work/family-care/"+record+"?m=progress" {
		t.Fatalf("set the deadline = %d %s %s", st, loc, snippet(page))
	}
	got := s.call(t, cw, "GET", "/api/v1/grants/care/records/"+record, nil, 200)["matters"].([]any)[0].(map[string]any)
	if got["due_on"] != "2026-12-31" || got["handler_name"] != "王经办" {
		t.Errorf("the matter after progress: due %v, handler %v", got["due_on"], got["handler_name"])
	}
	if st, _, _ := caseworker.post("/work/family-care/"+record+"/liaisons/boss", url.Values{"user": {"x"}}); st != http.StatusNotFound {
		t.Errorf("a liaison of no such role = %d, want 404", st)
	}

	// The festival dates: the page checks that each is a date; grants
	// decides whether it is plausible, and says so beside the field.
	admin := journeySignIn(t, s.gateway, "admin")
	for _, tc := range []struct {
		spring, want, summary string
	}{
		{"", required, enter("web.fcare.occasion.spring_festival")},
		{"2031-02-30", invalid, invalid},
		{"2031-03-01", i18n.T(i18n.ZH, "grants.field.festival_date"), ""},
	} {
		st, _, page := admin.post("/admin/family-care/dates", url.Values{"year": {"2031"}, "spring_festival": {tc.spring}, "qingming": {"2031-04-05"}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(between(page, `id="spring_festival-error"`, "</p>"), tc.want) ||
			!strings.Contains(between(page, `class="error-summary"`, "</div>"), tc.summary) {
			t.Errorf("spring festival %q = %d, want 422 saying %q, summed up as %q: %s", tc.spring, st, tc.want, tc.summary, snippet(page))
		}
	}
	if _, page := admin.get("/admin/family-care"); strings.Contains(between(page, `id="festival-dates"`, "</table>"), "2031") {
		t.Errorf("refused festival dates were stored")
	}

	// The committee: the summary by unit, and the export.
	leader := journeySignIn(t, s.gateway, "leader")
	st, page = leader.get("/work/family-care/summary")
	if row := between(page, `<tr class="unit-row">`, "</tr>"); st != http.StatusOK || !strings.Contains(row, "县公安局") ||
		!strings.Contains(between(row, `class="families"`, "</td>"), "1") || !strings.Contains(page, `id="care-export"`) {
		t.Errorf("the summary = %d: %s", st, snippet(page))
	}
	download := func(q string) (int, http.Header, string) {
		t.Helper()
		r, err := leader.c.Get(leader.base + "/work/family-care/export" + q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, r.Header, string(b)
	}
	for _, tc := range []struct {
		q, file, name string
	}{{"", "family-care.csv", "张*"}, {"?unmask=1", "family-care-unmasked.csv", "张伟"}} {
		st, hd, body := download(tc.q)
		if st != http.StatusOK || hd.Get("Content-Type") != "text/csv; charset=utf-8" || hd.Get("Content-Disposition") != `attachment; filename="`+tc.file+`"` ||
			hd.Get("Cache-Control") != "no-store" || hd.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("export%s = %d %v", tc.q, st, hd)
		}
		if lines := strings.Split(strings.TrimSpace(body), "\r\n"); len(lines) != 2 || !strings.Contains(lines[1], ","+tc.name+",") {
			t.Errorf("export%s holds %q, want the family as %s", tc.q, body, tc.name)
		}
	}
	if strings.Contains(func() string { _, _, b := download(""); return b }(), "张伟") {
		t.Errorf("the masked export names 张伟")
	}
	if st, _, _ := download("?unmask=maybe"); st != http.StatusBadRequest {
		t.Errorf("export?unmask=maybe = %d, want 400", st)
	}
}
