// Package care is the gateway's family-care area (关爱): the liaison's list
// of families with the next visit due and the overdue queue, a family's
// record (liaisons, plan, visits, matters), the visit form made for a
// phone during the visit and its photos, the family's own view, the
// committee's summary by unit and its export, and the administrators'
// visit rules and festival dates. Every page calls the grants service's
// /care API through its generated client (api/client/grants), signed for
// the person whose page it is by the web kit.
//
// Who sees which family is the service's rule (404 for anyone outside the
// family's circle); the pages only gate by role what no family's circle
// includes.
package care

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
// forms that send a visit's photo (the documents' larger cap).
func Register(g, documents *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	a.registerFamilyCarePages(g, documents)
	a.registerFamilyCareAdminPages(g)
}

func (a *area) registerFamilyCarePages(g, documents *gin.RouterGroup) {
	staff := a.RequireUser(domain.RoleCaseworker, domain.RoleUnitHead, domain.RoleApprover, domain.RoleLeader)
	family := a.RequireUser(domain.RoleOfficer, domain.RoleFamily)
	g.GET("/family-care", family, a.familyCareMine)
	g.POST("/family-care/:id/matters", family, a.familyCareRaise)
	// a liaison can be any staff user: the service decides who sees a family
	g.GET("/work/family-care", staff, a.familyCareList)
	g.GET("/work/family-care/summary", a.RequireUser(domain.RoleApprover, domain.RoleLeader, domain.RoleAdmin), a.familyCareSummary)
	g.GET("/work/family-care/export", a.RequireUser(domain.RoleApprover, domain.RoleLeader), a.familyCareExport)
	g.GET("/work/family-care/:id", a.RequireUser(), a.familyCareRecord)
	g.GET("/work/family-care/:id/visit", a.RequireUser(), a.familyCareVisitForm)
	documents.POST("/work/family-care/:id/visit", a.RequireUser(), a.familyCareVisit)
	documents.POST("/work/family-care/:id/visits/:visit/photos", a.RequireUser(), a.familyCareAddPhoto)
	g.POST("/work/family-care/:id/liaisons/:role", a.RequireUser(domain.RoleCaseworker, domain.RoleApprover), a.familyCareAssign)
	g.POST("/work/family-care/:id/matters", a.RequireUser(), a.familyCareRaise)
	g.POST("/work/family-care/:id/matters/:matter/application", a.RequireUser(domain.RoleCaseworker), a.familyCareApplication)
	g.POST("/work/family-care/:id/matters/:matter/progress", a.RequireUser(), a.familyCareProgress)
	g.POST("/work/family-care/:id/matters/:matter/resolve", a.RequireUser(), a.familyCareResolve)
}
