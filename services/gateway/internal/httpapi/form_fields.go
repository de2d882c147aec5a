package httpapi

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Small forms' helpers of the pages still here (plans, overview);
// the areas use webkit's (webkit/forms.go).

// formInt reads a required whole number within lo..hi.
func formInt(form *web.Form, name string, lo, hi int) int {
	v := form.Value(name)
	if v == "" {
		form.AddError(name, web.Msg("field.required"))
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		form.AddError(name, web.Msg("field.range", lo, hi))
	}
	return n
}

// postedForm reads the named fields of a posted form, trimmed.
func postedForm(c *gin.Context, fields ...string) *web.Form {
	form := web.NewForm()
	for _, f := range fields {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	return form
}

// flashOf is the confirmation a redirect's ?m= asks for, from keys.
func flashOf(c *gin.Context, keys map[string]string) *web.Message {
	if key, ok := keys[c.Query("m")]; ok {
		m := web.Msg(key)
		return &m
	}
	return nil
}
