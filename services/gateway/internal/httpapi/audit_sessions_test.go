package httpapi_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

// TestAuditRecordsSessions: sign-in, failed sign-in (known and unknown
// usernames) and sign-out land in the gateway's trail with the username
// typed, the address and the outcome; the auditor reads them newest
// first, named, filtered by username and by the action's name, and pages
// back with the cursor.
func TestAuditRecordsSessions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("audit1", domain.RoleAuditor)
	e.user("zhang", domain.RoleCaseworker)

	v := e.browser()
	tok := v.token("/signin")
	if r := v.post("/signin", url.Values{"csrf_token": {tok}, "username": {"zhang"}, "password": {"wrong-password-1"}}); r.status != http.StatusUnauthorized {
		t.Fatalf("wrong password = %d", r.status)
	}
	if r := v.post("/signin", url.Values{"csrf_token": {tok}, "username": {"nobody"}, "password": {"wrong-password-1"}}); r.status != http.StatusUnauthorized {
		t.Fatalf("unknown user = %d", r.status)
	}
	if r := v.signIn("zhang"); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in = %d", r.status)
	}
	if r := v.post("/signout", url.Values{"csrf_token": {v.token("/work/members")}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign-out = %d", r.status)
	}

	aud := e.browser()
	aud.signIn("audit1")
	all := aud.get("/audit")
	if all.status != http.StatusOK {
		t.Fatalf("trail = %d", all.status)
	}
	for _, want := range []string{"登录失败", "用户名 zhang，来自", "用户名 nobody，来自", "用户名或密码错误", "未知用户", "退出登录", "用户 zhang (zhang)"} {
		if !strings.Contains(all.body, want) {
			t.Errorf("trail lacks %q", want)
		}
	}
	// Newest first: audit1's own sign-in is the first row, zhang's failed
	// attempt comes after zhang's sign-out.
	seqs := regexp.MustCompile(`<td class="num">(\d+)</td>`).FindAllStringSubmatch(all.body, -1)
	for i := 1; i < len(seqs); i++ {
		if len(seqs[i][1]) > len(seqs[i-1][1]) || (len(seqs[i][1]) == len(seqs[i-1][1]) && seqs[i][1] > seqs[i-1][1]) {
			t.Fatalf("rows not newest first: %v", seqs)
		}
	}
	if strings.Index(all.body, "退出登录</td>") > strings.Index(all.body, "登录失败</td>") {
		t.Error("the sign-out is listed after the older failed sign-in")
	}

	byUser := aud.get("/audit?actor=zhang&action=" + url.QueryEscape("登录失败"))
	if !strings.Contains(byUser.body, "用户名 zhang，来自") || strings.Contains(byUser.body, "用户名 nobody") || strings.Contains(byUser.body, "退出登录</td>") {
		t.Errorf("filter by username and action name: %s", byUser.body)
	}
	if r := aud.get("/audit?action=" + url.QueryEscape("Signed out")); !strings.Contains(r.body, "退出登录</td>") || strings.Contains(r.body, "登录失败</td>") {
		t.Error("the English action name does not filter")
	}
	if r := aud.get("/audit?object_id=zhang"); !strings.Contains(r.body, "用户名 zhang") || strings.Contains(r.body, "用户名 nobody") {
		t.Error("the object filter does not take a username")
	}
}

// TestAuditPagesBack: more rows than a page give a link to older entries
// that continues where the page ended, with no row twice.
func TestAuditPagesBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.user("audit1", domain.RoleAuditor)
	for i := range 60 {
		e.user("officer"+string(rune('a'+i/26))+string(rune('a'+i%26)), domain.RoleOfficer)
	}
	aud := e.browser()
	aud.signIn("audit1")
	first := aud.get("/audit?action=" + url.QueryEscape("新建用户"))
	link := regexp.MustCompile(`id="audit-older" href="(/audit\?[^"]+)"`).FindStringSubmatch(first.body)
	if link == nil {
		t.Fatal("no link to older entries")
	}
	seq := regexp.MustCompile(`<td class="num">(\d+)</td>`)
	a := seq.FindAllStringSubmatch(first.body, -1)
	second := aud.get(strings.ReplaceAll(link[1], "&amp;", "&"))
	b := seq.FindAllStringSubmatch(second.body, -1)
	if len(a) != 50 || len(b) != 11 {
		t.Logf("link %s", link[1])
		t.Fatalf("pages of %d and %d rows, want 50 and 11", len(a), len(b))
	}
	if strings.Contains(second.body, `id="audit-older"`) {
		t.Error("the last page links to more")
	}
	seen := map[string]bool{}
	for _, m := range append(a, b...) {
		if seen[m[1]] {
			t.Errorf("row %s on two pages", m[1])
		}
		seen[m[1]] = true
	}
}
