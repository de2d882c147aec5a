package injury

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	enrollmentapi "github.com/anxin-welfare/anxin/api/client/enrollment"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The people a report or a case names, as enrollment shows them to the
// reader (its member list and records): a search by name, one record, and
// the names of a page's members.

// member is the part of an enrollment member the injury pages show: who,
// and in which unit.
type member struct {
	ID, UnitID, Name, IDNumberMasked string
}

// findLimit is how many members a name search lists.
const findLimit = 20

// maxFindRunes bounds the name searched for.
const maxFindRunes = 40

// memberFind is a search for a member by name, in the searcher's units as
// enrollment scopes its member list, and what it found.
type memberFind struct {
	Query    string
	Searched bool
	Found    []member
	More     bool // more than Limit matched
	Limit    int
	// Errors are about what was typed (Invalid) or say the search could
	// not be made; either shows next to the search field.
	Errors  []web.Message
	Invalid bool
}

// findMembers searches enrollment for members whose name starts with q.
// What was typed wrong is an error next to the search field; a refusal or
// an enrollment that does not answer is a note there too, never an error
// page: the report must still go out, with the name typed instead.
func (a *area) findMembers(c *gin.Context, q string, searched bool) memberFind {
	q = strings.TrimSpace(strings.ToValidUTF8(q, ""))
	f := memberFind{Query: q, Searched: searched, Limit: findLimit}
	if !searched {
		return f
	}
	switch n := utf8.RuneCountInString(q); {
	case n == 0:
		f.Errors, f.Invalid = []web.Message{web.Msg("web.injurypeople.find_required")}, true
		return f
	case n > maxFindRunes:
		f.Errors, f.Invalid = []web.Message{web.Msg("web.injurypeople.find_too_long", maxFindRunes)}, true
		return f
	}
	found, err := a.searchMembers(c, q)
	if err != nil {
		a.Log.InfoContext(c, "member search not made", "error", err)
		f.Errors = []web.Message{web.Msg("web.injurypeople.find_unavailable")}
		return f
	}
	if len(found) > findLimit {
		found, f.More = found[:findLimit], true
	}
	f.Found = found
	return f
}

// searchMembers lists up to findLimit+1 members whose name starts with q.
func (a *area) searchMembers(c *gin.Context, q string) ([]member, error) {
	api, err := a.Enrollment(c)
	if err != nil {
		return nil, err
	}
	limit := findLimit + 1
	r, err := api.ListMembersWithResponse(c.Request.Context(), &enrollmentapi.ListMembersParams{Name: &q, Limit: &limit})
	if err != nil {
		return nil, err
	}
	if r.JSON200 == nil {
		return nil, webkit.ErrUnexpected
	}
	var out []member
	for _, m := range webkit.Deref(r.JSON200.Members) {
		out = append(out, member{ID: webkit.Deref(m.Id), UnitID: webkit.Deref(m.UnitId), Name: webkit.Deref(m.Name), IDNumberMasked: webkit.Deref(m.IdNumberMasked)})
	}
	return out, nil
}

// keepChosen puts the member chosen before a refused form back among the
// choices when the search no longer lists them.
func (a *area) keepChosen(c *gin.Context, f *memberFind, id string) {
	if id == "" || slices.ContainsFunc(f.Found, func(m member) bool { return m.ID == id }) {
		return
	}
	if m, err := a.enrollmentMember(c, id); err == nil && m.ID != "" {
		f.Found = append([]member{m}, f.Found...)
	}
}

// errNoMember means the id names no member record (none was given, or it
// is no id enrollment gives).
var errNoMember = errors.New("no member record")

// enrollmentMember reads one member's record as the user may see it.
func (a *area) enrollmentMember(c *gin.Context, id string) (member, error) {
	if id == "" {
		return member{}, webkit.ErrNotRouted
	}
	api, err := a.Enrollment(c)
	if err != nil {
		return member{}, err
	}
	mid, err := uuid.Parse(id)
	if err != nil {
		return member{}, fmt.Errorf("member %q: %w", id, errNoMember)
	}
	r, err := api.GetMemberWithResponse(c.Request.Context(), mid)
	if err != nil {
		return member{}, err
	}
	if r.JSON200 == nil {
		return member{}, webkit.ErrUnexpected
	}
	m := r.JSON200
	return member{ID: m.Id.String(), UnitID: m.UnitId.String(), Name: m.Name, IDNumberMasked: webkit.Deref(m.IdNumberMasked)}, nil
}

// memberNames names up to max distinct members of ids, one look-up each:
// enrollment's list filters by one name prefix, not by several ids. A
// member past the cap, or whose record the user may not read, is shown by
// id; a role enrollment refuses outright (a unit head) is not asked again.
func (a *area) memberNames(c *gin.Context, ids []string, maxLookups int) map[string]string {
	names := map[string]string{}
	tried := map[string]bool{}
	for _, id := range ids {
		if id == "" || tried[id] || len(tried) >= maxLookups {
			continue
		}
		tried[id] = true
		m, err := a.enrollmentMember(c, id)
		if err != nil {
			if errors.Is(err, webkit.ErrNotRouted) || webkit.Refused(err, http.StatusForbidden) || webkit.Refused(err, http.StatusUnauthorized) {
				return names // the user may read no member record: ask no more
			}
			a.Log.InfoContext(c, "member not named", "member", id, "error", err)
			continue
		}
		names[id] = m.Name
	}
	return names
}
