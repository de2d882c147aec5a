package httpapi_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// Issue 11, grants: page tests as the role that hits each item, against
// the fake grants service (which answers as api/openapi/grants.yaml).

// TestGrantFormAsksOnlyItsProgrammesQuestions: the hardship form asks the
// amount and the household income, never a disability grade or a cause
// of death; the disability form asks the grade and not the income; before
// a programme is chosen no such question shows. A value typed into a
// question the programme does not ask is not sent.
func TestGrantFormAsksOnlyItsProgrammesQuestions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	off := e.browser()
	off.signIn("officer1")
	hard := off.get("/grants/apply?program=p-2")
	for _, want := range []string{`id="requested_amount"`, `id="income_per_capita"`} {
		if !strings.Contains(hard.body, want) {
			t.Errorf("the hardship form lacks %s", want)
		}
	}
	for _, not := range []string{`id="grade"`, `id="cause"`, `id="event_date"`, "伤残等级", "死亡原因"} {
		if strings.Contains(hard.body, not) {
			t.Errorf("the hardship form asks %s", not)
		}
	}
	dis := off.get("/grants/apply?program=p-1")
	if !strings.Contains(dis.body, `id="grade"`) || strings.Contains(dis.body, `id="income_per_capita"`) {
		t.Error("the disability form does not ask the grade, or asks the income")
	}
	none := off.get("/grants/apply")
	if strings.Contains(none.body, `id="grade"`) || strings.Contains(none.body, `id="income_per_capita"`) || !strings.Contains(none.body, `id="questions-follow"`) {
		t.Error("before a programme is chosen the form asks programme questions, or does not say they follow")
	}
	r := off.post("/grants/apply", url.Values{"csrf_token": {off.token("/grants/apply")}, "program_id": {"p-2"}, "requested_amount": {"3000"},
		"income_per_capita": {"1500"}, "grade": {"5"}, "cause": {"martyr"}, "documents": {"家庭收入证明\n困难情况说明"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("apply = %d", r.status)
	}
	bodies := e.grants.applicationBodies()
	form, _ := bodies[len(bodies)-1]["form"].(map[string]any)
	if _, ok := form["grade"]; ok || form["cause"] != nil || form["income_per_capita"] != float64(150000) {
		t.Errorf("the hardship application sent the form %v", form)
	}
}

// TestGrantAmountIsAskedForUntilGranted: after submission the applicant,
// the caseworker's queue and the page say 申请金额 (or, for a programme
// that computes it, 拟资助金额（待审批）) with the amount, never 核定金额
// nor ¥0.00; from approval on the page says 核定金额.
func TestGrantAmountIsAskedForUntilGranted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	appPath := submittedGrant(t, e)
	id := strings.TrimPrefix(appPath, "/grants/applications/")
	fam := e.browser()
	fam.signIn("family1")
	page := fam.get(appPath)
	if !strings.Contains(page.body, `<dt id="amount-label">申请金额</dt><dd id="amount">¥3,000.00</dd>`) || strings.Contains(page.body, "核定金额") {
		t.Error("a submitted application does not show the amount as requested, or calls it granted")
	}
	if l := fam.get("/grants"); !strings.Contains(l.body, `<span class="amount">申请金额 ¥3,000.00</span>`) || strings.Contains(l.body, "核定金额") {
		t.Error("the applicant's list does not show the amount as requested")
	}
	// a programme that computes the amount: nothing requested, the
	// amount computed at submission is shown as proposed, in the queue too
	e.grants.mu.Lock()
	e.grants.apps[id].RequestedAmount, e.grants.apps[id].Amount = 0, 300_000
	e.grants.mu.Unlock()
	e.user("case1", domain.RoleCaseworker)
	cw := e.browser()
	cw.signIn("case1")
	q := cw.get("/work/queue")
	if !strings.Contains(q.body, `<td class="num">¥3,000.00</td>`) || strings.Contains(q.body, `<td class="num">¥0.00</td>`) {
		t.Error("the caseworker's queue does not show the ¥3,000.00 the family sees")
	}
	if p := fam.get(appPath); !strings.Contains(p.body, `<dt id="amount-label">拟资助金额（待审批）</dt><dd id="amount">¥3,000.00</dd>`) {
		t.Error("a computed amount before approval is not shown as proposed")
	}
	e.grants.mu.Lock()
	e.grants.apps[id].State, e.grants.apps[id].RequestedAmount = "approved", 300_000
	e.grants.mu.Unlock()
	if p := fam.get(appPath); !strings.Contains(p.body, `<dt id="amount-label">核定金额</dt><dd id="amount">¥3,000.00</dd>`) {
		t.Error("an approved application does not show the amount granted")
	}
}

// TestGrantReviewShowsIncomeNamesAndTakesAComment: the approver reading a
// hardship application sees who applies and who filed it, the amount
// requested, the declared household income and the programme's line;
// approving takes a comment, which is sent with the approval and shown in
// the history.
func TestGrantReviewShowsIncomeNamesAndTakesAComment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("officer1", domain.RoleOfficer)
	e.user("case1", domain.RoleCaseworker)
	e.user("appr1", domain.RoleApprover)
	off := e.browser()
	off.signIn("officer1")
	r := off.post("/grants/apply", url.Values{"csrf_token": {off.token("/grants/apply")}, "program_id": {"p-2"}, "requested_amount": {"8000"},
		"income_per_capita": {"1500"}, "documents": {"家庭收入证明\n困难情况说明"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("apply = %d", r.status)
	}
	appPath := strings.TrimSuffix(r.header.Get("Location"), "?m=submitted")
	id := strings.TrimPrefix(appPath, "/grants/applications/")
	e.grants.mu.Lock()
	e.grants.apps[id].ApplicantName, e.grants.apps[id].FiledByName = "张*", "王**"
	e.grants.mu.Unlock()
	cw := e.browser()
	cw.signIn("case1")
	if r := cw.post(appPath+"/review", url.Values{"csrf_token": {cw.token(appPath)}, "version": {"2"}}); r.status != http.StatusSeeOther {
		t.Fatalf("review = %d", r.status)
	}
	ap := e.browser()
	ap.signIn("appr1")
	for _, path := range []string{"/approvals", appPath} {
		page := ap.get(path)
		for _, want := range []string{
			`<dd class="review-applicant">张* <span class="hint">（由王**代为提交）</span></dd>`,
			`<dd class="review-requested">¥8,000.00</dd>`,
			"<dt>申报家庭人均月收入</dt>", "<strong>¥1,500.00</strong> <span class=\"hint\">（困难线 ¥2,500.00）</span>",
		} {
			if !strings.Contains(page.body, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
	}
	page := ap.get(appPath)
	if !strings.Contains(page.body, `<textarea id="comment" name="comment"`) || !strings.Contains(page.body, "审批意见") {
		t.Fatal("the approval has no comment field")
	}
	comment := "收入低于困难线，同意"
	if r := ap.post(appPath+"/approve", url.Values{"csrf_token": {ap.token(appPath)}, "version": {"3"}, "comment": {comment}}); r.status != http.StatusSeeOther {
		t.Fatalf("approve = %d %s", r.status, r.body)
	}
	if p := ap.get(appPath); !strings.Contains(p.body, `<q class="remark">`+comment+`</q>`) {
		t.Error("the history does not show the approver's comment")
	}
}
