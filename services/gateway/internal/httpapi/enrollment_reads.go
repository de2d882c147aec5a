package httpapi

import (
	"net/url"
	"strings"
)

// What httpapi's remaining pages read of the member registry (a user's
// linked member and units, the work queue's and notices' members, the
// unit names of every page) until they move to their areas. The member
// registry's own pages are pages/members.

const enrollmentAPI = "/api/v1/enrollment"

// maxRoster bounds an uploaded roster (pages/members checks the file; the
// upload group's body cap is sized from it).
const maxRoster = 5 << 20

type memberSummary struct {
	ID             string `json:"id"`
	UnitID         string `json:"unit_id"`
	Name           string `json:"name"`
	Category       string `json:"category"`
	IDNumberMasked string `json:"id_number_masked"`
	Status         string `json:"status"`
	Version        int64  `json:"version"`
}

type unitJSON struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
}

type unitRow struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Version  int64  `json:"version"`
}

// memberAPI is the member's resource in the registry.
func memberAPI(id string) string { return enrollmentAPI + "/members/" + url.PathEscape(id) }

// unitLabels names each unit with its path from the top ("县委政法委 /
// 县公安局"), so two police stations of the same name stay apart.
func unitLabels(units []unitJSON) map[string]string {
	byID := make(map[string]unitJSON, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	out := make(map[string]string, len(units))
	for _, u := range units {
		parts := []string{u.Name}
		seen := map[string]bool{u.ID: true}
		for p := u.ParentID; p != "" && !seen[p]; p = byID[p].ParentID {
			pu, ok := byID[p]
			if !ok {
				break
			}
			seen[p] = true
			parts = append([]string{pu.Name}, parts...)
		}
		out[u.ID] = strings.Join(parts, " / ")
	}
	return out
}

// unitChoice is one unit of a unit picker.
type unitChoice struct {
	ID      string
	Label   string
	Checked bool
}

// hiddenField carries a checked value through the confirmation step.
type hiddenField struct {
	Name  string
	Value string
}
