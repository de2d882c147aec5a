package web_test

import (
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The summary at the top of a rejected form names each field: a bare
// "required" from any service becomes "请填写<label>", anything else is
// prefixed with its label; the summary takes focus and the title says
// there is an error.
func TestErrorSummaryNamesFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		lang    i18n.Lang
		form    func() *web.Form
		want    []string
		notWant []string
	}{
		{name: "service text required, chinese", form: func() *web.Form {
			return web.NewForm().AddError("username", web.Localized("此项必填")).AddError("password", web.Msg("field.too_short", 8))
		}, want: []string{`<a href="#username">请填写用户名</a>`, `<a href="#password">密码：至少需要 8 个字符</a>`,
			`<title>错误：登录`, `class="error-summary" role="alert" tabindex="-1" autofocus`, "请修改以下问题"}},
		{name: "catalogue required, english", lang: i18n.EN, form: func() *web.Form {
			return web.NewForm().AddError("username", web.Msg("web.form.required"))
		}, want: []string{`<a href="#username">Enter username</a>`, `<title>Error: Sign in`}},
		{name: "message naming its field stays", form: func() *web.Form {
			return web.NewForm().AddError("password", web.Msg(domain.CodePasswordRequired))
		}, want: []string{`<a href="#password">请输入密码</a>`}},
		{name: "failed sign-in is not a list to fix", form: func() *web.Form {
			return web.NewForm().AddError("", web.Msg(domain.CodeSignInInvalid))
		}, want: []string{"登录未成功", `<title>错误：登录`, "autofocus"}, notWant: []string{"请修改以下问题", "<li>"}},
		{name: "no errors, no prefix", form: web.NewForm, want: []string{`<title>登录`}, notWant: []string{"error-summary", "错误："}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out := render(t, "signin", &web.Page{Lang: tc.lang, Title: "web.signin.title", Path: "/signin", CSRF: "tok",
				Form: tc.form(), Data: signinData{Next: "/"}})
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(out, w) {
					t.Errorf("page contains %q", w)
				}
			}
		})
	}
}

// Date and file inputs drawn by the shared field carry a hint in the
// page's language, so the browser's own English control is explained.
func TestControlHints(t *testing.T) {
	t.Parallel()
	p := &web.Page{Title: "web.audit.title", CSRF: "tok", Form: web.NewForm()}
	v := web.NewFieldForTest(p, "from", "date")
	if v.Hint != "web.form.date_hint" {
		t.Errorf("date hint %q", v.Hint)
	}
	if v := web.NewFieldForTest(p, "doc", "file"); v.Hint != "web.form.file_choose_hint" {
		t.Errorf("file hint %q", v.Hint)
	}
	if v := web.NewFieldForTest(p, "name", "text"); v.Hint != "" {
		t.Errorf("text hint %q", v.Hint)
	}
	if !strings.Contains(i18n.T(i18n.ZH, "web.form.date_hint"), "2026-12-06") {
		t.Error("the date hint gives no example")
	}
}

// TestAddProblemsSaysEachInTheReadersLanguage: a domain's problem (a key and
// its arguments) is said in the page's language; a service's answer, read
// from its problem document with the message already in the reader's
// language, is shown as the service said it.
func TestAddProblemsSaysEachInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	f := web.NewForm().AddProblems([]fielderr.Problem{
		fielderr.New("name", "field.too_long", 5),
		{Field: "to", Code: "leave.field.date_order", Message: "结束日期早于开始日期"},
	})
	got := f.FieldErrors()
	if len(got) != 2 || got[0].Field != "name" || got[1].Field != "to" {
		t.Fatalf("errors = %+v", got)
	}
	if m := got[0].Message; m.Key != "field.too_long" || len(m.Args) != 1 || m.Text != "" {
		t.Errorf("a domain's problem = %+v, want the key and its argument", m)
	}
	if m := got[1].Message; m.Text != "结束日期早于开始日期" {
		t.Errorf("a service's answer = %+v, want its text as it is", m)
	}
}
