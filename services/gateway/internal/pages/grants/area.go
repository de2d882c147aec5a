// Package grants is the gateway's assistance-fund area: an applicant's
// applications (the list, the apply and edit forms with their documents,
// one application's page with the steps of the approval chain), the
// caseworker's queue of grants notices, the administrator's programmes, and
// the grant applications of the approvals page (drawn for the leave area's
// queue, Approvals). Every page calls the grants service, and enrollment
// for the names of a notice's people, through the generated clients
// (api/client/grants, api/client/enrollment), signed for the person whose
// page it is by the web kit.
package grants

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds the area's pages to g. The forms that carry files (apply,
// edit) go on documents when given: a group whose body cap is raised before
// the form token is read, as for the injury case documents.
func Register(g, documents *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	a.registerApplicationPages(g, documents)
	a.registerNoticePages(g)
	a.registerProgramPages(g)
}

func (a *area) registerApplicationPages(g, documents *gin.RouterGroup) {
	files := g
	if documents != nil {
		files = documents
	}
	applicant := a.RequireUser(domain.RoleOfficer, domain.RoleFamily)
	g.GET("/grants", applicant, a.grantsPage)
	g.GET("/grants/apply", applicant, a.grantApplyPage)
	files.POST("/grants/apply", applicant, a.grantApply)
	g.GET("/grants/applications/:id", a.RequireUser(), a.grantApplicationPage)
	g.GET("/grants/applications/:id/edit", a.RequireUser(), a.grantEditPage)
	files.POST("/grants/applications/:id/edit", a.RequireUser(), a.grantEdit)
	g.GET("/grants/applications/:id/documents/:doc", a.RequireUser(), a.grantDocumentDownload)
	g.POST("/grants/applications/:id/:step", a.RequireUser(), a.grantStep)
}

func (a *area) registerNoticePages(g *gin.RouterGroup) {
	cw := a.RequireUser(domain.RoleCaseworker)
	g.GET("/work/notices", cw, a.noticesPage)
	g.POST("/work/notices/:id/convert", cw, a.noticeConvert)
	g.POST("/work/notices/:id/dismiss", cw, a.noticeDismiss)
}

func (a *area) registerProgramPages(g *gin.RouterGroup) {
	admin := a.RequireUser(domain.RoleAdmin)
	g.GET("/admin/programs", a.RequireUser(domain.RoleAdmin, domain.RoleFinance, domain.RoleAuditor), a.programsPage)
	g.POST("/admin/programs", admin, a.createProgram)
	g.GET("/admin/programs/:id", admin, a.programEditPage)
	g.POST("/admin/programs/:id", admin, a.updateProgram)
}
