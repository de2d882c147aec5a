package httpapi

// What the session layer reads of the member registry: the unit names of
// every page's frame. The member registry's own pages are pages/members.

const enrollmentAPI = "/api/v1/enrollment"

// maxRoster bounds an uploaded roster (pages/members checks the file; the
// upload group's body cap is sized from it).
const maxRoster = 5 << 20

// unitRow is a unit as the registry lists it.
type unitRow struct {
	ID       string `json:"id"`
	Code     string `json:"code"`
	ParentID string `json:"parent_id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Version  int64  `json:"version"`
}
