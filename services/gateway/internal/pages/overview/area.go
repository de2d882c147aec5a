// Package overview is the gateway's work overview for the committee (工作概览,
// issue 17): the indicators of injury, grants, leave and care, each a chart
// with its table, for a range of months and a unit, every table as one XLSX
// workbook, and the year's leave-uptake target. The figures come from each
// service's reporting route (GET /reports/overview), called through the
// generated clients (api/client/injury, grants, leave) the web kit signs
// for the person whose page it is.
package overview

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// overviewRoles may open the overview; committeeRoles also set the target.
var (
	overviewRoles  = []domain.Role{domain.RoleApprover, domain.RoleLeader, domain.RoleUnitHead}
	committeeRoles = []domain.Role{domain.RoleApprover, domain.RoleLeader}
)

// Register adds the overview's pages to g.
func Register(g *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	g.GET("/overview", a.RequireUser(overviewRoles...), a.overviewPage)
	g.GET("/overview/export", a.RequireUser(overviewRoles...), a.overviewExport)
	g.POST("/overview/uptake-target", a.RequireUser(committeeRoles...), a.setUptakeTarget)
}
