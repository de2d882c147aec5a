package httpapi

import (
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Small forms' helpers of the pages still here (funds, plans, overview);
// the areas use webkit's (webkit/forms.go).

// problemOnField is problemOnForm with the refusals that name no field put
// on field instead of the top of the page, where they belong to one small
// form among several.
func problemOnField(err error, form *web.Form, field string, aliases map[string]string) bool {
	tmp := web.NewForm()
	if !problemOnForm(err, tmp, aliases) {
		return false
	}
	for _, m := range tmp.General() {
		form.AddError(field, m)
	}
	for _, fe := range tmp.FieldErrors() {
		form.AddError(fe.Field, fe.Message)
	}
	return true
}

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
