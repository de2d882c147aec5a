// Package members is the gateway's member registry area (enrollment): the
// member list and a member's page with the forms that change the record
// (details, status, death, dependants, beneficiaries, enrolments), the
// roster import, the insurance plans with their bulk enrolment and renewal,
// and the unit tree. A member's page also lists the member's injury cases,
// grant applications, leave requests and recuperation stays, each read from
// the service that owns it as the viewer. Every page calls the services
// through their generated clients (api/client/<service>), signed for the
// person whose page it is by the web kit.
package members

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds the area's pages: g for ordinary forms, uploads for the
// roster, whose form sends a file.
func Register(g, uploads *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	a.registerMemberPages(g, uploads)
	a.registerUnitPages(g)
	a.registerPlanPages(g)
}
