package web_test

import (
	"bytes"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// BenchmarkRenderSignIn is the cost of rendering one page (the sign-in
// form with errors) in English.
func BenchmarkRenderSignIn(b *testing.B) {
	r, err := web.NewRenderer()
	if err != nil {
		b.Fatal(err)
	}
	form := web.NewForm().Set("username", "zhangsan").AddError("password", web.Msg("gateway.password.required"))
	p := &web.Page{Lang: i18n.EN, Title: "web.signin.title", Path: "/signin", CSRF: "tok", Form: form, Data: signinData{Next: "/"}}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := r.Execute(&buf, "signin", p); err != nil {
			b.Fatal(err)
		}
	}
}
