package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/reqctx"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// readScope is what the caller may read: services everything; caseworkers
// and admins the members of their units and the units below; an officer
// their own record. Anything outside it answers 404.
func readScope(c *gin.Context) store.Scope {
	id := auth.Current(c)
	s := store.Scope{}
	if id.Has(auth.RoleService) {
		s.All = true
	}
	if id.Has(auth.RoleCaseworker, auth.RoleAdmin) {
		s.Units = id.Units
	}
	if id.Has(auth.RoleOfficer) && id.MemberID != "" {
		s.MemberID = id.MemberID
	}
	return s
}

// manageScope is what the caller may change: the members of a caseworker's
// or admin's units. Officers change nothing here; their requests for
// changes answer 404 like any object outside their reach.
func manageScope(c *gin.Context) store.Scope {
	id := auth.Current(c)
	if id.Has(auth.RoleCaseworker, auth.RoleAdmin) {
		return store.Scope{Units: id.Units}
	}
	return store.Scope{}
}

// meta names the caller for history and audit rows.
func meta(c *gin.Context) store.Meta {
	return store.Meta{Actor: auth.Current(c).UserID, RequestID: reqctx.RequestID(c.Request.Context())}
}

// premiumScope is whose premiums the caller may total: finance pays them
// and sees the whole county (amounts and unit names, no personal data);
// caseworkers and admins see their units.
func premiumScope(c *gin.Context) store.Scope {
	if auth.Current(c).Has(auth.RoleFinance) {
		return store.Scope{All: true}
	}
	return manageScope(c)
}
