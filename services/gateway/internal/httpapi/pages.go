package httpapi

import (
	"github.com/gin-gonic/gin"

	adminpages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/admin"
	carepages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/care"
	financepages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/finance"
	grantspages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/grants"
	injurypages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/injury"
	leavepages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/leave"
	memberpages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/members"
	mypages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/my"
	notifypages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/notify"
	overviewpages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/overview"
	referencepages "github.com/anxin-welfare/anxin/services/gateway/internal/pages/reference"
)

// registerPages adds the pages of signed-in users: their account, and the
// pages of each service once its API exists. uploads is for forms that
// send rosters, documents for case documents (a larger cap).
func (h *handlers) registerPages(g, uploads, documents *gin.RouterGroup) {
	g.GET("/account", h.requireUser(), h.accountPage)
	g.POST("/account/password", h.requireUser(), h.changePassword)
	// The areas moved to their own packages over the web kit.
	leavepages.Register(g, uploads, h.kit(), grantspages.Approvals(h.kit()))
	memberpages.Register(g, uploads, h.kit())
	notifypages.Register(g, h.kit())
	adminpages.Register(g, h.kit(), h.adminStores())
	referencepages.Register(g, h.kit())
	financepages.Register(g, h.kit())
	carepages.Register(g, documents, h.kit())
	overviewpages.Register(g, h.kit())
	grantspages.Register(g, documents, h.kit())
	injurypages.Register(g, documents, h.kit())
	mypages.Register(g, h.kit())
}
