package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// mySection is one service's part of "my matters": its items, or why they
// cannot be shown now. One service being down must not blank the page.
type mySection struct {
	Available bool
	Error     *web.Message
}

type myData struct {
	Injury struct {
		mySection
		Cases []injuryCaseSummary
	}
	Leave struct {
		mySection
		Requests []leaveRequest
	}
	Grants struct {
		mySection
		Applications []grantApplication
	}
	Care struct {
		mySection
		Stays  []careBooking
		Checks []careBooking
	}
}

// section fills one part of the page from a service, or marks it
// unavailable; it never fails the page.
func (h *handlers) section(c *gin.Context, s *mySection, service string, gets ...func() error) {
	if !h.Upstreams.Has(service) {
		return
	}
	s.Available = true
	for _, get := range gets {
		if err := get(); err != nil {
			h.Log.WarnContext(c, "my page section", "service", service, "error", err)
			m := web.Msg("web.my.section_unavailable")
			s.Error = &m
			return
		}
	}
}

// myPage is an officer's or family member's overview of everything of
// theirs in progress, each with its status.
func (h *handlers) myPage(c *gin.Context) {
	var d myData
	h.section(c, &d.Injury.mySection, "injury", func() error {
		var list injuryCaseList
		_, err := h.call(c, http.MethodGet, "injury", injuryAPI+"/cases", 0, nil, &list)
		d.Injury.Cases = list.Cases
		return err
	})
	if currentUser(c).Has(domain.RoleOfficer) {
		h.section(c, &d.Leave.mySection, "leave", func() error {
			var list itemsOf[leaveRequest]
			_, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/requests", 0, nil, &list)
			d.Leave.Requests = list.Items
			return err
		})
	}
	h.section(c, &d.Grants.mySection, "grants", func() error {
		var list itemsOf[grantApplication]
		_, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/applications?scope=mine", 0, nil, &list)
		d.Grants.Applications = list.Items
		return err
	})
	if currentUser(c).Has(domain.RoleOfficer) {
		h.section(c, &d.Care.mySection, "leave", func() error {
			var list itemsOf[careBooking]
			_, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/recuperation/bookings", 0, nil, &list)
			d.Care.Stays = list.Items
			return err
		}, func() error {
			var list itemsOf[careBooking]
			_, err := h.call(c, http.MethodGet, "leave", leaveAPI+"/health-checks/bookings", 0, nil, &list)
			d.Care.Checks = list.Items
			return err
		})
	}
	p := h.page(c, "web.my.title")
	p.Data = d
	h.render(c, http.StatusOK, "my", p)
}

func (h *handlers) registerMyPages(g *gin.RouterGroup) {
	g.GET("/my", h.requireUser(domain.RoleOfficer, domain.RoleFamily), h.myPage)
}
