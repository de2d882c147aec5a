package my

import (
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	leaveapi "github.com/anxin-welfare/anxin/api/client/leave"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// /my's parts of the leave service (requests, stays and checks) and of the
// grants service (applications).

// myLeave fills the leave part: the latest requests with their steps.
func (a *area) myLeave(c *gin.Context, d *myData) {
	a.fill(c, &d.Leave.section, "leave", func() error {
		api, err := a.Leave(c)
		if err != nil {
			return err
		}
		limit := myListed
		r, err := api.ListRequestsWithResponse(c.Request.Context(), &leaveapi.ListRequestsParams{Limit: &limit})
		if err != nil {
			return err
		}
		if r.JSON200 == nil {
			return webkit.ErrUnexpected
		}
		reqs, err := webkit.Items[leaveapi.Request](r.JSON200.Items)
		if err != nil {
			return err
		}
		d.Leave.More = webkit.Deref(r.JSON200.Next) != ""
		names := actorNames{}
		for _, req := range reqs {
			d.Leave.Requests = append(d.Leave.Requests, leaveItem{ID: req.Id.String(), From: req.From.String(), To: req.To.String(),
				Status: string(req.Status), Days: req.Days, Steps: lastSteps(a.leaveSteps(c, req, names))})
		}
		return nil
	})
}

// actorNames caches the display names of the users who decided, one
// look-up per user and page.
type actorNames map[string]*web.Message

// leaveSteps is the request's history: sent, then each decision with who
// took it, when, and the comment. Who is the deciding user's name; when the
// gateway does not know them, the role that decides at that level.
func (a *area) leaveSteps(c *gin.Context, r leaveapi.Request, names actorNames) []webkit.TimelineStep {
	steps := []webkit.TimelineStep{{At: webkit.Deref(r.CreatedAt), What: web.Msg("web.officer.step.requested")}}
	// The document leaves a decision's members open; these are the ones
	// the leave service writes.
	for _, dc := range webkit.Deref(r.Decisions) {
		level := 0
		if n, ok := dc["level"].(float64); ok {
			level = int(n)
		}
		actor, _ := dc["actor"].(string)
		outcome, _ := dc["outcome"].(string)
		note, _ := dc["comment"].(string)
		var at time.Time
		if s, ok := dc["at"].(string); ok {
			at, _ = time.Parse(time.RFC3339Nano, s)
		}
		st := webkit.TimelineStep{At: at, Note: note, What: webkit.MsgOr("web.officer.decision."+outcome, "web.officer.decision.other")}
		switch {
		case outcome == "cancelled" || level == 0 || actor == r.MemberId:
			st.Who = webkit.Flash("web.officer.by.applicant")
		default:
			st.Who = a.actorName(c, actor, names)
			if st.Who == nil {
				st.Who = webkit.Flash("web.officer.by.unit_head")
				if level >= 2 {
					st.Who = webkit.Flash("web.officer.by.approver")
				}
			}
		}
		steps = append(steps, st)
	}
	return steps
}

// actorName is the display name of the gateway user id, or nil.
func (a *area) actorName(c *gin.Context, id string, names actorNames) *web.Message {
	if m, seen := names[id]; seen {
		return m
	}
	var m *web.Message
	if a.Accounts != nil && id != "" {
		if u, err := a.Accounts.User(c.Request.Context(), id); err == nil && u.DisplayName != "" {
			n := web.Localized(u.DisplayName)
			m = &n
		}
	}
	names[id] = m
	return m
}

// myGrants fills the grants part: the latest applications with their last
// steps (one call), and those sent back to the officer.
func (a *area) myGrants(c *gin.Context, d *myData) []attention {
	var att []attention
	a.fill(c, &d.Grants.section, "grants", func() error {
		api, err := a.Grants(c)
		if err != nil {
			return err
		}
		scope, limit, steps := grantsapi.ListApplicationsParamsScope("mine"), myListed, mySteps
		r, err := api.ListApplicationsWithResponse(c.Request.Context(), &grantsapi.ListApplicationsParams{Scope: &scope, Limit: &limit, Steps: &steps})
		if err != nil {
			return err
		}
		if r.JSON200 == nil {
			return webkit.ErrUnexpected
		}
		d.Grants.More = webkit.Deref(r.JSON200.Next) != ""
		for _, x := range webkit.Deref(r.JSON200.Items) {
			app := webkit.GrantSummaryOf(x)
			if app.State == "returned" {
				att = append(att, attention{Href: "/grants/applications/" + url.PathEscape(app.ID), Number: app.Number,
					What: web.Msg("web.my.attention.grant_returned", app.Number)})
			}
			d.Grants.Applications = append(d.Grants.Applications, myApplication{GrantSummary: app, Steps: applicationSteps(app.History)})
		}
		return nil
	})
	return att
}

// applicationSteps is a grant application's last steps as the page shows
// them (the application list gives them with the application).
func applicationSteps(history []webkit.GrantStep) []webkit.TimelineStep {
	steps := make([]webkit.TimelineStep, 0, len(history))
	for _, x := range history {
		steps = append(steps, webkit.TimelineStep{At: x.At, Who: named(x.ActorName),
			What: webkit.MsgOr("web.grants.step."+x.Step, "web.officer.step.other"), Note: shorten(x.Reason)})
	}
	return lastSteps(steps)
}

// waitReasons maps the leave service's wait_reason codes to page texts.
var waitReasons = map[string]string{
	"leave.recuperation.session_full":    "web.officer.care.wait.session_full",
	"leave.recuperation.quota_exhausted": "web.officer.care.wait.quota_exhausted",
}

// myCare fills the care part from one call (leave's /my/care): the care
// page's lists, the stays' sessions and the checks' slots would take a
// dozen.
func (a *area) myCare(c *gin.Context, d *myData) {
	a.fill(c, &d.Care.section, "leave", func() error {
		api, err := a.Leave(c)
		if err != nil {
			return err
		}
		limit := myListed
		r, err := api.MyCareWithResponse(c.Request.Context(), &leaveapi.MyCareParams{Limit: &limit})
		if err != nil {
			return err
		}
		if r.JSON200 == nil {
			return webkit.ErrUnexpected
		}
		for _, x := range r.JSON200.Checks {
			v := checkView{ID: webkit.Deref(x.Id), Status: webkit.Deref(x.Status), StartsAt: webkit.Deref(x.StartsAt)}
			if x.CompletedOn != nil {
				v.CompletedOn = x.CompletedOn.String()
			}
			d.Care.Checks = append(d.Care.Checks, v)
		}
		for _, x := range r.JSON200.Stays {
			v := stayView{ID: webkit.Deref(x.Id), Status: webkit.Deref(x.Status), Facility: webkit.Deref(x.Facility), Location: webkit.Deref(x.Location),
				RequestedAt: webkit.Deref(x.RequestedAt)}
			if x.From != nil {
				v.From = x.From.String()
			}
			if x.To != nil {
				v.To = x.To.String()
			}
			if v.Status == "waitlisted" {
				m := webkit.MsgOr(waitReasons[webkit.Deref(x.WaitReason)], "web.officer.care.wait.other")
				v.Wait = &m
			}
			d.Care.Stays = append(d.Care.Stays, v)
		}
		d.Care.Count = len(d.Care.Stays) + len(d.Care.Checks)
		d.Care.More = len(r.JSON200.Checks) == myListed || len(r.JSON200.Stays) == myListed
		return nil
	})
}
