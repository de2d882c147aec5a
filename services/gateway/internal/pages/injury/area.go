// Package injury is the gateway's injury area: the green channel's report
// form, a case's page with its steps, comments, documents and benefit
// calculations, and the caseworker's work queue (with the grant
// applications awaiting their review). Every page calls the services
// through their generated clients (api/client/injury, enrollment for the
// people a report names, grants for the queue's applications), signed for
// the person whose page it is by the web kit.
package injury

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds the area's pages: g for ordinary forms, documents for the
// case documents' upload (a group whose body cap is raised before the form
// token is read).
func Register(g, documents *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	member := a.RequireUser(domain.RoleOfficer, domain.RoleFamily, domain.RoleCaseworker, domain.RoleUnitHead)
	g.GET("/injury/report", member, a.reportPage)
	g.POST("/injury/report", member, a.report)
	g.GET("/cases/:id", a.RequireUser(), a.casePage)
	g.POST("/cases/:id/actions/:action", a.RequireUser(), a.act)
	g.GET("/work/queue", a.RequireUser(domain.RoleCaseworker, domain.RoleUnitHead), a.workQueue)
	g.POST("/cases/:id/comments", a.RequireUser(), a.comment)
	documents.POST("/cases/:id/documents", a.RequireUser(), a.upload)
	g.GET("/cases/:id/documents/:doc", a.RequireUser(), a.documentDownload)
	g.POST("/cases/:id/calculations", a.RequireUser(domain.RoleCaseworker), a.calculate)
}
