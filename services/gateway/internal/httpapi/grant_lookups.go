package httpapi

import (
	"net/url"

	"github.com/gin-gonic/gin"
)

// What the grants pages still here read of the grants service's funds and
// programmes (the finance pages that owned these moved to pages/finance).

type grantFund struct {
	ID            string `json:"id"`
	FiscalYear    int    `json:"fiscal_year"`
	Name          string `json:"name"`
	Appropriation int64  `json:"appropriation"`
	Committed     int64  `json:"committed"`
	Disbursed     int64  `json:"disbursed"`
	Remaining     int64  `json:"remaining"`
}

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
