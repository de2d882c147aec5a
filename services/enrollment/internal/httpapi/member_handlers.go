package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/idcard"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/pkg/sealed"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// listMembers pages through the members in the caller's scope, in name
// order (pkg/page: ?limit=&after=), with the total the filters select.
// ?id_number= finds a member by the full identity number through the
// blind index; a number that cannot be one is a 422 naming the field, so
// a typo is told apart from "nobody has this number".
func (h *Handler) listMembers(c *gin.Context) {
	f := store.MemberFilter{UnitID: c.Query("unit_id"), Status: domain.Status(c.Query("status")), Name: c.Query("name")}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	if f.Status != "" && !f.Status.Valid() {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "status", Code: "field.one_of"}))
		return
	}
	// A number copied from a document may carry spaces or dashes between
	// its groups; they are not part of it.
	if n := sealed.Normalize(c.Query("id_number")); n != "" {
		id, err := idcard.Parse(n)
		if err != nil {
			var ie *idcard.Error
			code := idcard.CodeFormat
			if errors.As(err, &ie) {
				code = ie.Code
			}
			fail(c, httpx.Invalid(fielderr.Problem{Field: "id_number", Code: code}))
			return
		}
		f.IDNumber = id.Number
	}
	p := store.MemberPage{Limit: pr.Fetch()}
	if _, err := pr.Decode(&p.AfterName, &p.AfterID); err != nil {
		fail(c, err)
		return
	}
	ms, err := h.store.ListMembers(c.Request.Context(), readScope(c), f, p)
	if err != nil {
		fail(c, err)
		return
	}
	total, err := h.store.CountMembers(c.Request.Context(), readScope(c), f)
	if err != nil {
		fail(c, err)
		return
	}
	ms, next := page.Trim(pr, ms, func(m *domain.Member) string { return page.Cursor(m.Name, m.ID) })
	out := make([]memberSummary, len(ms))
	for i, m := range ms {
		out[i] = memberSummary{ID: m.ID, UnitID: m.UnitID, Name: m.Name, Category: string(m.Category),
			IDNumberMasked: masked(m.Identity.Number), Status: string(m.Status), Version: m.Version}
	}
	c.JSON(http.StatusOK, gin.H{"members": out, "next": next, "total": total})
}

func (h *Handler) createMember(c *gin.Context) {
	var req memberRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	in, err := req.input()
	if err != nil {
		fail(c, err)
		return
	}
	m, err := h.cmd.CreateMember(c.Request.Context(), in, manageScope(c), meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, m.Version)
	c.Header("Location", Base+"/members/"+m.ID)
	c.JSON(http.StatusCreated, toMember(m))
}

func (h *Handler) getMember(c *gin.Context) {
	m, err := h.store.GetMember(c.Request.Context(), c.Param("id"), readScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, m.Version)
	c.JSON(http.StatusOK, toMember(m))
}

// revealIDNumber answers the full identity number; the store writes the
// audit row of the view in the same transaction.
func (h *Handler) revealIDNumber(c *gin.Context) {
	n, err := h.store.RevealIdentity(c.Request.Context(), c.Param("id"), readScope(c), meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"id_number": n})
}

// update runs fn on the member named in the path under the caller's If-Match
// version and answers the member after it.
func (h *Handler) update(c *gin.Context, fn func(m *domain.Member, today time.Time) (store.MemberChange, error)) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	m, err := h.cmd.UpdateMember(c.Request.Context(), c.Param("id"), manageScope(c), version, meta(c), fn)
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, m.Version)
	c.JSON(http.StatusOK, toMember(m))
}

// bind decodes the body into dst before the member is touched; a bad body
// answers at once.
func bind[T any](c *gin.Context) (T, bool) {
	var req T
	if err := httpx.BindJSON(c, &req); err != nil {
		fail(c, err)
		return req, false
	}
	return req, true
}

func (h *Handler) replaceMember(c *gin.Context) {
	req, ok := bind[memberRequest](c)
	if !ok {
		return
	}
	in, err := req.input()
	if err != nil {
		fail(c, err)
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		changed, err := m.Edit(in, today)
		if err != nil || !changed {
			return "", err
		}
		return domain.ChangeUpdated, nil
	})
}

func (h *Handler) changeStatus(c *gin.Context) {
	req, ok := bind[statusRequest](c)
	if !ok {
		return
	}
	var d dates
	on := d.parse("date", req.Date, true)
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		before := m.Status
		if err := m.ChangeStatus(domain.Status(req.Status), on, today); err != nil {
			return "", err
		}
		if m.Status == before {
			return "", nil
		}
		return domain.ChangeStatus, nil
	})
}

func (h *Handler) recordDeath(c *gin.Context) {
	req, ok := bind[deathRequest](c)
	if !ok {
		return
	}
	var d dates
	on := d.parse("date", req.Date, true)
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		return domain.ChangeDeceased, m.RecordDeath(on, domain.DeathCause(req.Cause), today)
	})
}

func (h *Handler) addHonour(c *gin.Context) {
	req, ok := bind[honourRequest](c)
	if !ok {
		return
	}
	var d dates
	on := d.parse("awarded_on", req.AwardedOn, true)
	if err := d.err(); err != nil {
		fail(c, err)
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		return domain.ChangeHonour, m.AddHonour(domain.HonourKind(req.Kind), on, today)
	})
}

func (h *Handler) listDependants(c *gin.Context) {
	m, err := h.store.GetMember(c.Request.Context(), c.Param("id"), readScope(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, m.Version)
	c.JSON(http.StatusOK, gin.H{"dependants": toDependants(m.Dependants)})
}

func (h *Handler) addDependant(c *gin.Context) {
	req, ok := bind[dependantRequest](c)
	if !ok {
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		_, err := m.AddDependant(store.NewID(), req.input(), today)
		return domain.ChangeDependants, err
	})
}

func (h *Handler) replaceDependant(c *gin.Context) {
	req, ok := bind[dependantRequest](c)
	if !ok {
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		_, err := m.ReplaceDependant(c.Param("dependant_id"), req.input(), today)
		return domain.ChangeDependants, err
	})
}

func (h *Handler) removeDependant(c *gin.Context) {
	h.update(c, func(m *domain.Member, _ time.Time) (store.MemberChange, error) {
		return domain.ChangeDependants, m.RemoveDependant(c.Param("dependant_id"))
	})
}

func (h *Handler) setBeneficiaries(c *gin.Context) {
	req, ok := bind[beneficiariesRequest](c)
	if !ok {
		return
	}
	in, err := req.inputs()
	if err != nil {
		fail(c, err)
		return
	}
	scheme := domain.SchemeCode(c.Param("scheme"))
	if !scheme.Valid() {
		fail(c, httpx.NotFound())
		return
	}
	h.update(c, func(m *domain.Member, today time.Time) (store.MemberChange, error) {
		return domain.ChangeBeneficiaries, m.SetBeneficiaries(scheme, in, today)
	})
}

// history lists the member's versions, or with ?at= (RFC 3339) the one
// version that was current then: "what did we know on day D".
func (h *Handler) history(c *gin.Context) {
	var at time.Time
	if s := c.Query("at"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fail(c, httpx.Invalid(fielderr.Problem{Field: "at", Code: "field.time"}))
			return
		}
		at = t
	}
	if !at.IsZero() {
		v, err := h.store.VersionAt(c.Request.Context(), c.Param("id"), readScope(c), at)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"versions": []versionJSON{toVersion(v)}, "next": ""})
		return
	}
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	vs, next, err := h.store.History(c.Request.Context(), c.Param("id"), readScope(c), pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]versionJSON, len(vs))
	for i, v := range vs {
		out[i] = toVersion(v)
	}
	c.JSON(http.StatusOK, gin.H{"versions": out, "next": next})
}

func toVersion(v domain.MemberVersion) versionJSON {
	return versionJSON{Version: v.Version, RecordedAt: v.RecordedAt, Actor: v.Actor, Change: string(v.Change), Member: toMember(&v.Member)}
}
