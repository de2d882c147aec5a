package my

import (
	"net/url"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// myCasesParam carries the cursor of the officer's older cases in /my's
// address.
const myCasesParam = "cases_after"

// myInjury fills the injury part: the latest cases with their last steps
// (one call), and what needs the officer in them.
func (a *area) myInjury(c *gin.Context, d *myData) []attention {
	var att []attention
	a.fill(c, &d.Injury.section, "injury", func() error {
		after := c.Query(myCasesParam)
		cases, next, err := a.myCases(c, after)
		if err != nil && after != "" && webkit.StaleCursor(err) {
			d.Injury.Stale = true
			cases, next, err = a.myCases(c, "")
		}
		if err != nil {
			return err
		}
		q := c.Request.URL.Query()
		if d.Injury.Stale {
			q.Del(myCasesParam)
		}
		d.Injury.Pages = a.PagerAt(c, c.Request.URL.Path, q, "my-injury", myCasesParam, next)
		for _, cs := range cases {
			d.Injury.Cases = append(d.Injury.Cases, cs)
			if what, ok := caseAttention(a.Lang(c), cs); ok {
				att = append(att, attention{Href: "/cases/" + url.PathEscape(cs.ID), Number: cs.Number, Status: cs.Status,
					What: what, InCharge: cs.InChargeName, Phone: cs.InChargePhone})
			}
		}
		return nil
	})
	return att
}

// myCases reads a page of the officer's cases, the latest first, each with
// its last mySteps steps (which the list reads for the whole page at once),
// after the cursor after ("" for the first page).
func (a *area) myCases(c *gin.Context, after string) ([]myCase, string, error) {
	api, err := a.Injury(c)
	if err != nil {
		return nil, "", err
	}
	limit, steps := myListed, mySteps
	params := &injuryapi.ListCasesParams{Limit: &limit, Steps: &steps}
	if after != "" {
		params.After = &after
	}
	r, err := api.ListCasesWithResponse(c.Request.Context(), params)
	if err != nil {
		return nil, "", err
	}
	if r.JSON200 == nil {
		return nil, "", webkit.ErrUnexpected
	}
	out := make([]myCase, 0, len(r.JSON200.Cases))
	for _, x := range r.JSON200.Cases {
		cs := myCase{Number: webkit.Deref(x.Number), State: str(x.State), Status: str(x.Status), InjuredAt: webkit.Deref(x.InjuredAt),
			DueClock: webkit.Deref(x.DueClock), NextDueAt: webkit.Deref(x.NextDueAt), Escalation: str(x.Escalation),
			InChargeName: webkit.Deref(x.InChargeName), InChargePhone: webkit.Deref(x.InChargePhone), Steps: caseSteps(webkit.Deref(x.Steps))}
		if x.Id != nil {
			cs.ID = x.Id.String()
		}
		out = append(out, cs)
	}
	return out, r.JSON200.Next, nil
}

// memberClocks are the deadlines the member meets themselves: filing for
// the determination, and the window to appeal a grading.
var memberClocks = []string{"member_filing", "appeal"}

// caseAttention says in plain words what an open case needs of the officer
// now, if anything: a deadline of their own nearing or passed (they must
// act), or a caseworker's deadline passed or escalated (which deadline,
// how far it went, and that their benefits do not suffer from it).
func caseAttention(l i18n.Lang, cs myCase) (web.Message, bool) {
	if cs.State == "closed" {
		return web.Message{}, false
	}
	clk := i18n.T(l, "web.my.attention.some_deadline")
	if cs.DueClock != "" && i18n.Has("injury.clock."+cs.DueClock) {
		clk = i18n.T(l, "injury.clock."+cs.DueClock)
	}
	due := clockLocal(cs.NextDueAt)
	switch {
	case slices.Contains(memberClocks, cs.DueClock) && (cs.Status == "amber" || cs.Status == "red"):
		return web.Msg("web.my.attention.yours."+cs.DueClock, cs.Number, due), true
	case cs.Escalation == "committee":
		return web.Msg("web.my.attention.committee", cs.Number, clk), true
	case cs.Escalation == "unit_head":
		return web.Msg("web.my.attention.unit_head", cs.Number, clk), true
	case cs.Status == "red":
		return web.Msg("web.my.attention.breached", cs.Number, clk), true
	}
	return web.Message{}, false
}

// clockLocal is an instant as people in the county read it.
func clockLocal(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format("2006-01-02 15:04")
}

// caseSteps is an injury case's last steps as the page shows them (the
// case list gives them with the case).
func caseSteps(entries []injuryapi.TimelineEntry) []webkit.TimelineStep {
	steps := make([]webkit.TimelineStep, 0, len(entries))
	for _, e := range entries {
		st := webkit.TimelineStep{At: webkit.Deref(e.At), Who: named(webkit.Deref(e.ActorName)), Note: shorten(webkit.Deref(e.Body))}
		if action := webkit.Deref(e.Action); action != "" {
			st.What = webkit.MsgOr("injury.action."+action, "web.officer.step.other")
		} else {
			st.What = webkit.MsgOr("web.injury.timeline_kind."+str(e.Kind), "web.officer.step.other")
		}
		if to := webkit.Deref(e.ToState); to != "" {
			m := webkit.MsgOr("injury.state."+to, "web.officer.step.other")
			st.To = &m
		}
		steps = append(steps, st)
	}
	return lastSteps(steps)
}

// lastSteps keeps the last mySteps steps, oldest first.
func lastSteps(s []webkit.TimelineStep) []webkit.TimelineStep {
	if len(s) > mySteps {
		return s[len(s)-mySteps:]
	}
	return s
}

// named is a person's name as a message, nil when unknown.
func named(name string) *web.Message {
	if name == "" {
		return nil
	}
	m := web.Localized(name)
	return &m
}

// shorten cuts a comment to myNoteRunes characters.
func shorten(s string) string {
	r := []rune(s)
	if len(r) > myNoteRunes {
		return string(r[:myNoteRunes]) + "…"
	}
	return s
}

// str is a code of a generated string type as the page reads it, "" when
// absent.
func str[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}
