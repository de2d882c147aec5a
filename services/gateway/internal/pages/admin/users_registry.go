package admin

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The user form names units and members from the member registry
// (enrollment), as far as the administrator may see them.

// memberSummary is a member as the user form shows it: the linked one and
// the search's matches.
type memberSummary struct {
	ID             string
	UnitID         string
	Name           string
	IDNumberMasked string
}

// registryUnits reads the whole unit list (short by what it is: the
// county's units), in the registry's order (parents first).
func registryUnits(c *gin.Context, api *enrollmentapi.ClientWithResponses) ([]enrollmentapi.Unit, error) {
	limit := page.MaxLimit
	return webkit.All(func(after *string) ([]enrollmentapi.Unit, *string, error) {
		r, err := api.ListUnitsWithResponse(c.Request.Context(), &enrollmentapi.ListUnitsParams{After: after, Limit: &limit})
		if err != nil {
			return nil, nil, err
		}
		if r.JSON200 == nil {
			return nil, nil, webkit.ErrUnexpected
		}
		return r.JSON200.Units, r.JSON200.Next, nil
	})
}

// unitLabels names each unit with its path from the top ("县委政法委 /
// 县公安局"), so two police stations of the same name stay apart.
func unitLabels(units []enrollmentapi.Unit) map[string]string {
	parent := make(map[string]string, len(units))
	name := make(map[string]string, len(units))
	for _, u := range units {
		id := u.Id.String()
		name[id] = u.Name
		if u.ParentId != nil {
			parent[id] = u.ParentId.String()
		}
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		id := u.Id.String()
		parts := []string{u.Name}
		seen := map[string]bool{id: true}
		for p := parent[id]; p != "" && !seen[p]; p = parent[p] {
			n, ok := name[p]
			if !ok {
				break
			}
			seen[p] = true
			parts = append([]string{n}, parts...)
		}
		out[id] = strings.Join(parts, " / ")
	}
	return out
}

// adminUserRegistry names the form's units and linked member from the
// member registry, as the administrator may see them, and runs the member
// search of ?member_q=. Without the registry the page falls back to typed
// ids. It returns the units' names by id.
func (a *area) adminUserRegistry(c *gin.Context, d *adminUserData, form *web.Form) map[string]string {
	if !a.Routed("enrollment") {
		return nil
	}
	api, err := a.Enrollment(c)
	if err != nil {
		a.Log.InfoContext(c, "user form without the registry", "error", err)
		return nil
	}
	var labels map[string]string
	if units, err := registryUnits(c, api); err != nil {
		a.Log.InfoContext(c, "user form without unit names", "error", err)
	} else {
		chosen := splitUnits([]string{form.Value("units")})
		labels = unitLabels(units)
		d.Units = make([]unitChoice, 0, len(units))
		for _, u := range units {
			id := u.Id.String()
			d.Units = append(d.Units, unitChoice{ID: id, Label: labels[id], Checked: slices.Contains(chosen, id)})
		}
		// A unit the registry does not list stays ticked, so saving the
		// form never drops it unseen.
		for _, id := range chosen {
			if _, ok := labels[id]; !ok {
				d.Units = append(d.Units, unitChoice{ID: id, Checked: true})
			}
		}
	}
	if id := strings.TrimSpace(form.Value("member_id")); id != "" && !strings.ContainsAny(id, "/?#%") && strings.Trim(id, ".") != "" {
		a.linkedMember(c, api, d, id)
	}
	d.MemberQuery = strings.TrimSpace(c.Query("member_q"))
	if d.MemberQuery == "" {
		d.MemberQuery = strings.TrimSpace(c.PostForm("member_q"))
	}
	d.MemberPick = form.Value("member_pick")
	if d.MemberQuery == "" || !d.CanEdit {
		return labels
	}
	limit := 20
	r, err := api.ListMembersWithResponse(c.Request.Context(), &enrollmentapi.ListMembersParams{Name: &d.MemberQuery, Limit: &limit})
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	if err != nil {
		a.Log.InfoContext(c, "member search failed", "error", err)
		return labels
	}
	for _, m := range webkit.Deref(r.JSON200.Members) {
		d.MemberResults = append(d.MemberResults, memberSummary{ID: webkit.Deref(m.Id), UnitID: webkit.Deref(m.UnitId), Name: webkit.Deref(m.Name), IDNumberMasked: webkit.Deref(m.IdNumberMasked)})
	}
	return labels
}

// linkedMember names the member id the account is linked to, or says the
// registry does not show it to the administrator (an id that is none
// names nothing, as the registry would answer).
func (a *area) linkedMember(c *gin.Context, api *enrollmentapi.ClientWithResponses, d *adminUserData, id string) {
	mid, err := uuid.Parse(id)
	if err != nil {
		d.LinkedUnknown = true
		return
	}
	r, err := api.GetMemberWithResponse(c.Request.Context(), mid)
	if err == nil && r.JSON200 == nil {
		err = webkit.ErrUnexpected
	}
	status, _, refused := webkit.Refusal(err)
	switch {
	case err == nil:
		m := r.JSON200
		d.Linked = &memberSummary{ID: m.Id.String(), UnitID: m.UnitId.String(), Name: m.Name, IDNumberMasked: webkit.Deref(m.IdNumberMasked)}
	case refused && status < http.StatusInternalServerError:
		d.LinkedUnknown = true
	default:
		a.Log.InfoContext(c, "user form without the member's name", "error", err)
	}
}
