// Package leave is the gateway's leave and care area: an officer's annual
// leave and the approval queue, recuperation stays and health checks, the
// unit quotas and health-check compliance, the work calendar with its
// holiday notice, and the year's end (finance's unused-days compensation
// and the administrator's rollover). Every page calls the leave service
// through its generated client (api/client/leave), signed for the person
// whose page it is by the web kit.
package leave

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
	grants GrantsQueue
}

// Register adds the area's pages: g for ordinary forms, uploads for the
// forms that send a file (the holiday notice, the wage file). grants draws
// the grant applications on the approvals page (nil: none).
func Register(g, uploads *gin.RouterGroup, k *webkit.Kit, grants GrantsQueue) {
	a := &area{Kit: k, grants: grants}
	a.registerCalendarPages(g, uploads)
	a.registerYearEndPages(g, uploads)
	a.registerCarePages(g)
	a.registerQuotaPages(g)
	a.registerLeavePages(g)
	a.registerCareAdminPages(g)
}
