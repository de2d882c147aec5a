package webkit

import (
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Small forms: what the pages check themselves before the service decides
// (that a value is there, a number, a date), and a refusal put on one form
// among several on a page.

// PostedForm reads the named fields of a posted form, trimmed.
func PostedForm(c *gin.Context, fields ...string) *web.Form {
	form := web.NewForm()
	for _, f := range fields {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	return form
}

// FormInt reads a required whole number within lo..hi.
func FormInt(form *web.Form, name string, lo, hi int) int {
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

// FormYuan reads an amount typed in yuan (up to two decimals) as fen; empty
// is zero, an error when required; anything else but a non-negative amount
// is an error on the field, and zero.
func FormYuan(form *web.Form, name string, required bool) money.Fen {
	v := form.Value(name)
	if v == "" {
		if required {
			form.AddError(name, web.Msg("field.required"))
		}
		return 0
	}
	f, err := money.Parse(v)
	if err != nil || f < 0 {
		form.AddError(name, web.Msg("field.money"))
		return 0
	}
	return f
}

// FormDate checks a typed date (YYYY-MM-DD) of a required field and
// returns it.
func FormDate(form *web.Form, name string) time.Time {
	v := form.Value(name)
	if v == "" {
		form.AddError(name, web.Msg("field.required"))
		return time.Time{}
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		form.AddError(name, web.Msg("field.date"))
	}
	return t
}

// FlashOf is the confirmation a redirect's ?m= asks for, from keys.
func FlashOf(c *gin.Context, keys map[string]string) *web.Message {
	if key, ok := keys[c.Query("m")]; ok {
		return Flash(key)
	}
	return nil
}

// ProblemOnField is ProblemOnForm with the refusals that name no field put
// on field instead of the top of the page, where they belong to one small
// form among several.
func ProblemOnField(err error, form *web.Form, field string, aliases map[string]string) bool {
	tmp := web.NewForm()
	if !ProblemOnForm(err, tmp, aliases) {
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
