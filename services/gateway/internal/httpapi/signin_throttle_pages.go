package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
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
func (h *handlers) registerThrottlePages(g *gin.RouterGroup) {
	g.GET("/admin/sign-in-throttles", h.requireUser(domain.RoleAdmin, domain.RoleAuditor), h.throttlesPage)
	g.POST("/admin/sign-in-throttles/lift", h.requireUser(domain.RoleAdmin), h.liftThrottle)
}

func (h *handlers) throttlesPage(c *gin.Context) {
	items, err := h.Accounts.Throttles(c.Request.Context())
	if err != nil {
		h.fail(c, err)
		return
	}
	p := h.page(c, "web.throttles.title")
	if c.Query("m") == "lifted" {
		m := web.Msg("web.throttles.lifted")
		p.Flash = &m
	}
	p.Data = throttlesData{Items: items, CanLift: currentUser(c).Has(domain.RoleAdmin), TokenKey: domain.TokenThrottleKey}
	h.render(c, http.StatusOK, "sign_in_throttles", p)
}

// liftThrottle forgets one pair's failures; the store audits it.
func (h *handlers) liftThrottle(c *gin.Context) {
	account, address := c.PostForm("account"), c.PostForm("address")
	if account == "" || address == "" {
		h.errorPage(c, http.StatusBadRequest, "web.throttles.missing")
		return
	}
	if err := h.Accounts.LiftThrottle(c.Request.Context(), account, address, actor(c)); err != nil {
		h.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/sign-in-throttles?m=lifted")
}
