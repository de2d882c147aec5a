// Package reference is the gateway's reference tools: the 测算 page that
// computes a statutory amount without filing anything, the dated
// parameters (national income, regional wages…) the grants and injury
// services compute with, and the printed documents each owning service
// prints for the signed-in person. Every page calls the services through
// their generated clients (api/client/<service>), signed for the person
// whose page it is by the web kit.
package reference

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
)

// area is the pages' handlers over the kit.
type area struct {
	*webkit.Kit
}

// Register adds the area's pages to g.
func Register(g *gin.RouterGroup, k *webkit.Kit) {
	a := &area{Kit: k}
	a.registerCalculatorPages(g)
	a.registerParameterPages(g)
	a.registerPrintPages(g)
}
