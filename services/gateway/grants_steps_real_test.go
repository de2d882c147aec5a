package gateway_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// The grants area's application page and the steps of the approval chain
// (pages/grants) against the real grants service: what were httpapi's
// fake-upstream tests of the same pages, each assertion kept; where the
// fake's state was set by hand, the state is reached through the service.

// appPathOf is the application page a redirect after applying names.
func appPathOf(t *testing.T, r grantsReply) string {
	t.Helper()
	loc := r.header.Get("Location")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/grants/applications/") {
		t.Fatalf("apply = %d %s: %s", r.status, loc, snippet(r.body))
	}
	return strings.SplitN(loc, "?", 2)[0]
}

// step takes one step of an application's page as who, at the version the
// page shows, with more form fields.
func (u *grantsUser) step(appPath, name string, more url.Values) grantsReply {
	u.t.Helper()
	page := u.get(appPath)
	v := url.Values{"version": {stepVersion(u.t, page)}}
	for k, vs := range more {
		v[k] = vs
	}
	return u.post(appPath+"/"+name, grantsFormToken.FindStringSubmatch(page.body)[1], v, nil)
}

// TestGrantEditAgainstRealServices: the applicant changes a draft from its
// page (errors next to fields, values kept, a stale version explained),
// uploads a document and submits; after submission nobody is offered the
// form, and nobody else may use it.
func TestGrantEditAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	p2 := twoDocumentProgram(t, s)
	wife := waitDependant(t, s, s.member, "刘敏")
	fam := grantsSignIn(t, s.gateway, "family")
	draft := fam.post("/grants/apply", fam.token("/grants/apply"), url.Values{"dependant_id": {wife}, "program_id": {p2}, "requested_amount": {"3000"},
		"income_per_capita": {"1500"}, "doc": {"家庭收入证明"}}, nil)
	appID := grantsHidden(t, draft, "app_id")
	appPath := "/grants/applications/" + appID
	if page := fam.get(appPath); !strings.Contains(page.body, `href="`+appPath+`/edit"`) {
		t.Fatal("the draft's page offers no edit link")
	}
	_, app := fam.grantsApp(appID)
	version := strconv.Itoa(int(app["version"].(float64)))
	edit := fam.get(appPath + "/edit")
	for _, want := range []string{`action="` + appPath + `/edit"`, `value="3000.00"`, `value="1500.00"`, `value="家庭收入证明" checked`,
		`name="version" value="` + version + `"`, `id="save-submit"`, `enctype="multipart/form-data"`} {
		if !strings.Contains(edit.body, want) {
			t.Errorf("edit form lacks %s", want)
		}
	}
	tok := fam.token(appPath + "/edit")
	// Over the cap: the service says so when the draft is submitted.
	values := url.Values{"version": {version}, "requested_amount": {"60000"}, "income_per_capita": {"1500"}, "doc": {"家庭收入证明"}, "action": {"submit"}}
	over := fam.post(appPath+"/edit", tok, values, nil)
	if over.status != http.StatusUnprocessableEntity || !strings.Contains(over.body, `id="requested_amount-error"`) ||
		!strings.Contains(over.body, "超过项目上限") || !strings.Contains(over.body, `value="60000"`) {
		t.Fatalf("over the cap = %d: %s", over.status, snippet(over.body))
	}
	values.Del("action")
	values.Set("requested_amount", "2000")
	values.Set("version", "0")
	if r := fam.post(appPath+"/edit", tok, values, nil); r.status != http.StatusBadRequest {
		t.Errorf("no version = %d, want 400", r.status)
	}
	values.Set("version", "70")
	stale := fam.post(appPath+"/edit", tok, values, nil)
	if stale.status != http.StatusConflict || !strings.Contains(stale.body, i18n.T(i18n.ZH, "problem.version_mismatch")) || !strings.Contains(stale.body, `value="2000"`) {
		t.Fatalf("stale version = %d: %s", stale.status, snippet(stale.body))
	}
	values.Set("version", grantsHidden(t, stale, "version"))
	values.Set("action", "save")
	pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
	saved := fam.post(appPath+"/edit", tok, values, map[string][2]string{"file-1": {"困难说明.pdf", pdf}})
	if saved.status != http.StatusSeeOther || saved.header.Get("Location") != appPath+"?m=saved" {
		t.Fatalf("save = %d %s: %s", saved.status, saved.header.Get("Location"), snippet(saved.body))
	}
	page := fam.get(appPath)
	if !strings.Contains(page.body, "困难说明.pdf") || !strings.Contains(page.body, `id="app-state">草稿`) || !strings.Contains(page.body, "¥2,000.00") {
		t.Fatalf("the saved draft does not show the new amount and document: %s", snippet(page.body))
	}
	edit = fam.get(appPath + "/edit")
	values.Set("version", grantsHidden(t, edit, "version"))
	values.Set("action", "submit")
	submitted := fam.post(appPath+"/edit", tok, values, nil)
	if submitted.status != http.StatusSeeOther || submitted.header.Get("Location") != appPath+"?m=submitted" {
		t.Fatalf("save and submit = %d: %s", submitted.status, snippet(submitted.body))
	}
	if page := fam.get(appPath); strings.Contains(page.body, "/edit\"") {
		t.Error("a submitted application still offers the edit form")
	}
	if r := fam.get(appPath + "/edit"); r.status != http.StatusForbidden {
		t.Errorf("edit form of a submitted application = %d, want 403", r.status)
	}
	other := grantsSignIn(t, s.gateway, "widow")
	if r := other.get(appPath + "/edit"); r.status != http.StatusNotFound {
		t.Errorf("another family's edit form = %d, want 404 as the service answers", r.status)
	}
	cw := grantsSignIn(t, s.gateway, "caseworker")
	if r := cw.post(appPath+"/edit", cw.token(appPath), url.Values{"version": {"3"}}, nil); r.status != http.StatusForbidden {
		t.Errorf("caseworker editing the applicant's form = %d, want 403", r.status)
	}
}

// TestGrantStepsAgainstRealServices: a family member applies (over the cap
// and a non-amount refused first); a caseworker reviews, two approvers
// approve — the first is told a second is awaited and may not approve
// twice — and finance pays, four different people; the applicant sees
// "paid". Around it: a refused return or reject keeps the typed reason; a
// flagged duplicate asks for the approver's note; withdrawing asks first;
// the amount is asked for until granted; the approver's review shows who
// applies and who filed it and the declared income, and takes a comment;
// a grant paid monthly is offered for its yearly re-check to caseworkers
// only.
func TestGrantStepsAgainstRealServices(t *testing.T) {
	t.Parallel()
	s := startRealSystem(t)
	admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
	wife := waitDependant(t, s, s.member, "刘敏")
	fam := grantsSignIn(t, s.gateway, "family")
	off := grantsSignIn(t, s.gateway, "officer")
	cw := grantsSignIn(t, s.gateway, "caseworker")
	a1 := grantsSignIn(t, s.gateway, "approver1")
	a2 := grantsSignIn(t, s.gateway, "approver2")
	fin := grantsSignIn(t, s.gateway, "finance")

	// hardship applies for the officer and returns the application's page.
	hardship := func(t *testing.T, amount string) string {
		t.Helper()
		return appPathOf(t, off.post("/grants/apply", off.token("/grants/apply"), url.Values{"program_id": {s.program}, "requested_amount": {amount},
			"income_per_capita": {"1500"}, "documents": {"家庭收入证明\n困难情况说明"}}, nil))
	}

	// First, while the officer's list holds nothing granted.
	t.Run("the amount is asked for until granted", func(t *testing.T) {
		appPath := hardship(t, "3000")
		page := off.get(appPath)
		if !strings.Contains(page.body, `<dt id="amount-label">申请金额</dt><dd id="amount">¥3,000.00</dd>`) || strings.Contains(page.body, "核定金额") {
			t.Error("a submitted application does not show the amount as requested, or calls it granted")
		}
		if l := off.get("/grants"); !strings.Contains(l.body, `<span class="amount">申请金额 ¥3,000.00</span>`) || strings.Contains(l.body, "核定金额") {
			t.Error("the applicant's list does not show the amount as requested")
		}
		// a programme that computes the amount: nothing requested, the
		// amount computed at submission is shown as proposed, in the queue too
		fixed := s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
			"fund_id": s.fund, "code": "fixed", "name_zh": "定额慰问", "kind": "other", "allocation": 10000000,
			"amount_rule": map[string]any{"kind": "fixed", "fixed": 300000}, "dual_approval_above": 1000000,
		}, 201)["id"].(string)
		computed := appPathOf(t, off.post("/grants/apply", off.token("/grants/apply"), url.Values{"program_id": {fixed}}, nil))
		q := cw.get("/work/queue")
		if !strings.Contains(q.body, `<td class="num">¥3,000.00</td>`) || strings.Contains(q.body, `<td class="num">¥0.00</td>`) {
			t.Error("the caseworker's queue does not show the ¥3,000.00 the officer sees")
		}
		if p := off.get(computed); !strings.Contains(p.body, `<dt id="amount-label">拟资助金额（待审批）</dt><dd id="amount">¥3,000.00</dd>`) {
			t.Errorf("a computed amount before approval is not shown as proposed: %s", snippet(p.body))
		}
		if r := cw.step(computed, "review", nil); r.status != http.StatusSeeOther {
			t.Fatalf("review = %d", r.status)
		}
		if r := a1.step(computed, "approve", nil); r.status != http.StatusSeeOther {
			t.Fatalf("approve = %d: %s", r.status, snippet(r.body))
		}
		if p := off.get(computed); !strings.Contains(p.body, `<dt id="amount-label">核定金额</dt><dd id="amount">¥3,000.00</dd>`) {
			t.Error("an approved application does not show the amount granted")
		}
	})

	t.Run("the journey: review, two approvals, payment", func(t *testing.T) {
		form := fam.get("/grants/apply")
		if form.status != http.StatusOK || !strings.Contains(form.body, "困难干警帮扶") {
			t.Fatalf("apply form %d", form.status)
		}
		tok := fam.token("/grants/apply")
		values := url.Values{"dependant_id": {wife}, "program_id": {s.program}, "requested_amount": {"60000"}, "income_per_capita": {"1500"},
			"doc": {"家庭收入证明"}, "documents": {"鉴定结论"}}
		tooMuch := fam.post("/grants/apply", tok, values, nil)
		if tooMuch.status != http.StatusUnprocessableEntity || !strings.Contains(tooMuch.body, `id="requested_amount-error"`) ||
			!strings.Contains(tooMuch.body, "超过项目上限") || !strings.Contains(tooMuch.body, "鉴定结论") {
			t.Fatalf("over the cap = %d: %s", tooMuch.status, snippet(tooMuch.body))
		}
		values.Set("app_id", grantsHidden(t, tooMuch, "app_id"))
		values.Set("version", grantsHidden(t, tooMuch, "version"))
		values.Set("requested_amount", "abc")
		if r := fam.post("/grants/apply", tok, values, nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("non-amount = %d", r.status)
		}
		values.Set("requested_amount", "15000")
		values.Set("documents", "鉴定结论\n病历")
		ok := fam.post("/grants/apply", tok, values, nil)
		if ok.status != http.StatusSeeOther || !strings.Contains(ok.header.Get("Location"), "?m=submitted") {
			t.Fatalf("apply = %d %s: %s", ok.status, ok.header.Get("Location"), snippet(ok.body))
		}
		appPath := appPathOf(t, ok)
		_, app := fam.grantsApp(strings.TrimPrefix(appPath, "/grants/applications/"))
		number := app["number"].(string)

		if q := cw.get("/work/queue"); !strings.Contains(q.body, number) {
			t.Fatal("the caseworker's queue lacks the application")
		}
		if r := cw.step(appPath, "review", nil); r.status != http.StatusSeeOther {
			t.Fatalf("review = %d: %s", r.status, snippet(r.body))
		}
		if q := a1.get("/approvals"); !strings.Contains(q.body, number) || !strings.Contains(q.body, "¥15,000.00") {
			t.Fatal("the approver's queue lacks the application and its amount")
		}
		if page := a1.get(appPath); strings.Contains(page.body, `name="duplicate_note"`) {
			t.Fatal("an unflagged application asks for a duplicate note")
		}
		if r := a1.step(appPath, "approve", nil); r.status != http.StatusSeeOther {
			t.Fatalf("first approval = %d: %s", r.status, snippet(r.body))
		}
		// The approver who approved in this round is not offered the
		// approval again and is told a second approver is awaited; the
		// other approver is offered it.
		page := a1.get(appPath)
		if strings.Contains(page.body, `action="`+appPath+`/approve"`) || !strings.Contains(page.body, `id="awaiting-second"`) ||
			!strings.Contains(page.body, "您已审批同意，等待另一位审批人审批。") || !strings.Contains(page.body, `action="`+appPath+`/return"`) {
			t.Error("the approver who approved is offered the approval again or not told a second is awaited")
		}
		if page := a2.get(appPath); !strings.Contains(page.body, `action="`+appPath+`/approve"`) || strings.Contains(page.body, `id="awaiting-second"`) {
			t.Error("the second approver is not offered the approval")
		}
		tok = grantsFormToken.FindStringSubmatch(page.body)[1]
		if r := a1.post(appPath+"/approve", tok, url.Values{"version": {stepVersion(t, page)}}, nil); r.status != http.StatusForbidden ||
			!strings.Contains(r.body, i18n.T(i18n.ZH, "problem.grants.same_approver")) {
			t.Fatalf("same approver twice = %d: %s", r.status, snippet(r.body))
		}
		if r := a2.step(appPath, "approve", nil); r.status != http.StatusSeeOther {
			t.Fatalf("second approval = %d: %s", r.status, snippet(r.body))
		}
		// the applicant's list and finance's payments due name the programme
		if l := fam.get("/grants"); !strings.Contains(l.body, `<span class="program">困难干警帮扶</span>`) {
			t.Error("the family's list does not name the programme")
		}
		if f := fin.get("/finance"); !strings.Contains(f.body, number+`</a> <span class="program">困难干警帮扶</span>`) {
			t.Fatal("finance's to-pay list lacks the application, or does not name its programme")
		}
		if r := fin.step(appPath, "disburse", nil); r.status != http.StatusSeeOther {
			t.Fatalf("disburse = %d: %s", r.status, snippet(r.body))
		}
		final := fam.get(appPath)
		if !strings.Contains(final.body, `id="app-state">`+i18n.T(i18n.ZH, "grants.state.disbursed")) {
			t.Errorf("the applicant does not see paid: %s", snippet(final.body))
		}
		if strings.Contains(final.body, "/disburse") || strings.Contains(final.body, "/approve") {
			t.Error("the applicant is offered staff steps")
		}
	})

	t.Run("a refused return or reject keeps the typed reason", func(t *testing.T) {
		appPath := hardship(t, "3000")
		long := strings.Repeat("材料不全", 501)
		r := cw.step(appPath, "return", url.Values{"reason": {long}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-return-error"`) ||
			!strings.Contains(r.body, "不能超过 2000 个字符") || !strings.Contains(r.body, `id="reason-return" name="reason" type="text" value="`+long+`"`) {
			t.Fatalf("too long a reason = %d: %s", r.status, snippet(r.body))
		}
		if strings.Contains(r.body, `id="reason-reject-error"`) {
			t.Error("the error shows on the reject form too")
		}
		r = cw.step(appPath, "reject", url.Values{"reason": {"  "}})
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="reason-reject-error"`) ||
			!strings.Contains(r.body, i18n.T(i18n.ZH, "grants.field.required")) {
			t.Fatalf("no reason = %d: %s", r.status, snippet(r.body))
		}
		if r := cw.step(appPath, "return", url.Values{"reason": {"请补充困难情况说明"}}); r.status != http.StatusSeeOther {
			t.Fatalf("return with a reason = %d", r.status)
		}
	})

	t.Run("a flagged duplicate asks for the approver's note", func(t *testing.T) {
		// Two applications for the same event, prepared by a caseworker of
		// the unit (the service's own way to one event twice).
		seed := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
		var ids []string
		for range 2 {
			a := s.call(t, seed, "POST", "/api/v1/grants/applications", map[string]any{"program_id": s.program, "member_id": s.member,
				"unit_id": s.unit, "applicant_user_id": "u-seed-cw", "event_ref": "injury_case:0190b3c4-0000-7000-8000-000000000001",
				"requested_amount": 300000, "form": map[string]any{"income_per_capita": 150000}, "documents": []string{"家庭收入证明"}}, 201)
			s.call(t, seed, "POST", "/api/v1/grants/applications/"+a["id"].(string)+"/submit", map[string]any{}, 200, "If-Match", `"`+strconv.Itoa(int(a["version"].(float64)))+`"`)
			ids = append(ids, a["id"].(string))
		}
		appPath := "/grants/applications/" + ids[0]
		_, other := cw.grantsApp(ids[1])
		if r := cw.step(appPath, "review", nil); r.status != http.StatusSeeOther {
			t.Fatalf("review = %d: %s", r.status, snippet(r.body))
		}
		page := a1.get(appPath)
		if !strings.Contains(page.body, `<textarea id="duplicate_note" name="duplicate_note" rows="3" required`) || !strings.Contains(page.body, other["number"].(string)) {
			t.Fatalf("the flagged application does not ask for the note naming the other application: %s", snippet(page.body))
		}
		tok := grantsFormToken.FindStringSubmatch(page.body)[1]
		version := stepVersion(t, page)
		r := a1.post(appPath+"/approve", tok, url.Values{"version": {version}}, nil)
		if r.status != http.StatusConflict || !strings.Contains(r.body, `id="duplicate_note-error"`) ||
			!strings.Contains(r.body, i18n.T(i18n.ZH, "problem.grants.duplicate_unacknowledged")) {
			t.Fatalf("approval without the note = %d: %s", r.status, snippet(r.body))
		}
		r = a1.post(appPath+"/approve", tok, url.Values{"version": {version}, "duplicate_note": {"生活困难与伤残资助分属不同需要"}}, nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("approval with the note = %d: %s", r.status, snippet(r.body))
		}
		if _, app := cw.grantsApp(ids[0]); app["duplicate_note"] != "生活困难与伤残资助分属不同需要" {
			t.Errorf("the note reached the service as %v", app["duplicate_note"])
		}
	})

	t.Run("withdrawing asks first", func(t *testing.T) {
		appPath := hardship(t, "3000")
		id := strings.TrimPrefix(appPath, "/grants/applications/")
		_, app := off.grantsApp(id)
		page := off.get(appPath)
		tok, version := grantsFormToken.FindStringSubmatch(page.body)[1], stepVersion(t, page)
		r := off.post(appPath+"/withdraw", tok, url.Values{"version": {version}}, nil)
		if r.status != http.StatusOK || !strings.Contains(r.body, `id="confirm"`) || !strings.Contains(r.body, "将撤回申请 "+app["number"].(string)) ||
			!strings.Contains(r.body, `action="`+appPath+`/withdraw"`) || !strings.Contains(r.body, `name="version" value="`+version+`"`) {
			t.Fatalf("first press = %d %s", r.status, snippet(r.body))
		}
		if _, app := off.grantsApp(id); app["state"] != "submitted" {
			t.Fatalf("the first press left the application %v", app["state"])
		}
		r = off.post(appPath+"/withdraw", tok, url.Values{"version": {version}, "confirm": {"yes"}}, nil)
		if r.status != http.StatusSeeOther {
			t.Fatalf("second press = %d %s", r.status, snippet(r.body))
		}
		if _, app := off.grantsApp(id); app["state"] != "withdrawn" {
			t.Errorf("after the second press the application is %v", app["state"])
		}
	})

	t.Run("the review shows who applies and who filed it, the declared income, and takes a comment", func(t *testing.T) {
		// a caseworker of the unit files a paper application for the
		// officer: he applies, she filed it
		seed := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
		a := s.call(t, seed, "POST", "/api/v1/grants/applications", map[string]any{"program_id": s.program, "member_id": s.member,
			"unit_id": s.unit, "applicant_user_id": "u-paper-applicant", "requested_amount": 800000,
			"form": map[string]any{"income_per_capita": 150000}, "documents": []string{"家庭收入证明"}}, 201)
		s.call(t, seed, "POST", "/api/v1/grants/applications/"+a["id"].(string)+"/submit", map[string]any{}, 200, "If-Match", `"`+strconv.Itoa(int(a["version"].(float64)))+`"`)
		appPath := "/grants/applications/" + a["id"].(string)
		if r := cw.step(appPath, "review", nil); r.status != http.StatusSeeOther {
			t.Fatalf("review = %d", r.status)
		}
		// the names as the service shows them to the approver (masked)
		_, app := a2.grantsApp(strings.TrimPrefix(appPath, "/grants/applications/"))
		name, _ := app["applicant_name"].(string)
		by, _ := app["filed_by_name"].(string)
		if name == "" || by == "" {
			t.Fatalf("the service names the applicant %q and the filer %q", name, by)
		}
		applicant := `<dd class="review-applicant">` + name + ` <span class="hint">（由` + by + `代为提交）</span>`
		for _, path := range []string{"/approvals", appPath} {
			page := a2.get(path)
			for _, want := range []string{applicant + "</dd>", `<dd class="review-requested">¥8,000.00</dd>`,
				"<dt>申报家庭人均月收入</dt>", "<strong>¥1,500.00</strong> <span class=\"hint\">（困难线 ¥2,500.00）</span>",
			} {
				if !strings.Contains(page.body, want) {
					t.Errorf("%s lacks %q", path, want)
				}
			}
		}
		page := a2.get(appPath)
		if !strings.Contains(page.body, `<textarea id="comment" name="comment"`) || !strings.Contains(page.body, "审批意见") {
			t.Fatal("the approval has no comment field")
		}
		comment := "收入低于困难线，同意"
		if r := a2.step(appPath, "approve", url.Values{"comment": {comment}}); r.status != http.StatusSeeOther {
			t.Fatalf("approve = %d %s", r.status, snippet(r.body))
		}
		if p := a2.get(appPath); !strings.Contains(p.body, `<q class="remark">`+comment+`</q>`) {
			t.Error("the history does not show the approver's comment")
		}
	})

	t.Run("a grant paid monthly is re-checked by caseworkers", func(t *testing.T) {
		monthly := s.call(t, admin, "POST", "/api/v1/grants/programs", map[string]any{
			"fund_id": s.fund, "code": "monthly", "name_zh": "生活补助（按月）", "kind": "other", "allocation": 10000000, "recurring": true,
			"amount_rule": map[string]any{"kind": "fixed", "fixed": 50000}, "dual_approval_above": 1000000,
		}, 201)["id"].(string)
		appPath := appPathOf(t, off.post("/grants/apply", off.token("/grants/apply"), url.Values{"program_id": {monthly}}, nil))
		for _, st := range []struct {
			who  *grantsUser
			step string
		}{{cw, "review"}, {a1, "approve"}, {fin, "disburse"}} {
			if r := st.who.step(appPath, st.step, nil); r.status != http.StatusSeeOther {
				t.Fatalf("%s = %d: %s", st.step, r.status, snippet(r.body))
			}
		}
		if _, app := cw.grantsApp(strings.TrimPrefix(appPath, "/grants/applications/")); app["state"] != "active" {
			t.Fatalf("the monthly grant is %v after payment, want active", app["state"])
		}
		if page := cw.get(appPath); !strings.Contains(page.body, `action="`+appPath+`/recheck"`) || !strings.Contains(page.body, "年度复核") {
			t.Error("the caseworker is not offered the yearly re-check")
		}
		if r := cw.step(appPath, "recheck", nil); r.status == http.StatusNotFound {
			t.Error("the re-check step is not passed to the service")
		}
		for _, b := range []*grantsUser{off, a2} {
			if page := b.get(appPath); strings.Contains(page.body, "/recheck\"") {
				t.Errorf("%s, no caseworker, is offered the re-check", b.name)
			}
		}
	})
}
