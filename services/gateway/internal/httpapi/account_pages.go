package httpapi

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// accountData is the account page's own data.
type accountData struct {
	Name        string
	Username    string
	Roles       []domain.Role
	HasPassword bool
	// Failures are the failed sign-ins since the sign-in before this one.
	Failures domain.FailureNotice
	// Next is where a person sent here by a sign-in notice goes on to.
	Next string
}

func (h *handlers) accountPage(c *gin.Context) {
	h.renderAccount(c, http.StatusOK, nil, c.Query("m") == "password_changed")
}

func (h *handlers) renderAccount(c *gin.Context, status int, form *web.Form, changed bool) {
	u := currentUser(c)
	p := h.page(c, "web.account.title")
	p.Form = form
	if changed {
		m := web.Msg("web.account.password_changed")
		p.Flash = &m
	}
	failures, err := h.Accounts.FailureNotice(c.Request.Context(), u)
	if err != nil {
		h.fail(c, err)
		return
	}
	next := ""
	if c.Query("m") == "failed_signins" {
		next = web.SafeNext(c.Query("next"))
	}
	p.Data = accountData{Name: u.DisplayName, Username: u.Username, Roles: u.Roles, HasPassword: u.PasswordHash != "",
		Failures: failures, Next: next}
	h.render(c, status, "account", p)
}

// changePassword lets a user change their own password, proving they know
// the current one; every other session of theirs ends.
func (h *handlers) changePassword(c *gin.Context) {
	u := currentUser(c)
	sess, _ := currentSession(c)
	form := web.NewForm()
	if ok, err := h.Accounts.Policies().Passwords.Verify(c.PostForm("current_password"), u.PasswordHash); err != nil || !ok {
		form.AddError("current_password", web.Msg(domain.CodeSignInInvalid))
		h.renderAccount(c, http.StatusUnprocessableEntity, form, false)
		return
	}
	err := h.Accounts.SetPassword(c.Request.Context(), u.ID, c.PostForm("password"), c.PostForm("password_confirm"), sess.IDHash, actor(c))
	var ve *fielderr.Invalid
	switch {
	case errors.As(err, &ve):
		h.renderAccount(c, http.StatusUnprocessableEntity, form.AddProblems(ve.Problems), false)
		return
	case err != nil:
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/account?m=password_changed")
}
