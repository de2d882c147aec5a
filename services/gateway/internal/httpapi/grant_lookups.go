package httpapi

import (
	"net/url"

	"github.com/gin-gonic/gin"
)

// What the pages still here read of the grants service's programmes (the
// finance pages that owned this moved to pages/finance; the programmes
// page, the last reader of the funds here, to pages/grants).

// programNames maps program ids to names in the page's language.
func (h *handlers) programNames(c *gin.Context, fundID string) map[string]string {
	var progs struct {
		Items []grantProgram `json:"items"`
	}
	out := map[string]string{}
	if err := listInto(h, c, "grants", grantsAPI+"/programs?fund_id="+url.QueryEscape(fundID), "items", &progs.Items); err != nil {
		return out
	}
	for _, p := range progs.Items {
		out[p.ID] = p.NameZH
		if lang(c) == "en" && p.NameEN != "" {
			out[p.ID] = p.NameEN
		}
	}
	return out
}
