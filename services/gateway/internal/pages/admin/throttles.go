package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// throttlesData is the sign-in throttle page's own data.
type throttlesData struct {
	Items   []domain.Throttle
	CanLift bool
	// TokenKey is the name bad API tokens are counted under: the page
	// calls it what it is.
	TokenKey string
}

// registerThrottlePages adds the administrators' view of sign-in throttles:
// which (account name, address) pairs have failed lately and must wait, and
// a lift for each.
func (a *area) registerThrottlePages(g *gin.RouterGroup) {
	g.GET("/admin/sign-in-throttles", a.RequireUser(domain.RoleAdmin, domain.RoleAuditor), a.throttlesPage)
	g.POST("/admin/sign-in-throttles/lift", a.RequireUser(domain.RoleAdmin), a.liftThrottle)
}

func (a *area) throttlesPage(c *gin.Context) {
	items, err := a.s.Accounts.Throttles(c.Request.Context())
	if err != nil {
		a.Fail(c, err)
		return
	}
	p := a.Page(c, "web.throttles.title")
	if c.Query("m") == "lifted" {
		p.Flash = webkit.Flash("web.throttles.lifted")
	}
	p.Data = throttlesData{Items: items, CanLift: a.User(c).Has(domain.RoleAdmin), TokenKey: domain.TokenThrottleKey}
	a.Render(c, http.StatusOK, "sign_in_throttles", p)
}

// liftThrottle forgets one pair's failures; the store audits it.
func (a *area) liftThrottle(c *gin.Context) {
	account, address := c.PostForm("account"), c.PostForm("address")
	if account == "" || address == "" {
		a.ErrorPage(c, http.StatusBadRequest, "web.throttles.missing")
		return
	}
	if err := a.s.Accounts.LiftThrottle(c.Request.Context(), account, address, a.actor(c)); err != nil {
		a.Fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/sign-in-throttles?m=lifted")
}
