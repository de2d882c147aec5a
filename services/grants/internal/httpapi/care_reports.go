package httpapi

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/docfile"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
	"github.com/anxin-welfare/anxin/services/grants/internal/store"
)

// queueItem is one overdue visit in a liaison's queue or a unit head's
// view. A unit head who is not the family's liaison sees the family
// masked: the queue tells them a visit is late, not who the family is.
type queueItem struct {
	RecordID    string        `json:"record_id"`
	UnitID      string        `json:"unit_id"`
	SubjectName string        `json:"subject_name"`
	Masked      bool          `json:"masked"`
	Visit       plannedView   `json:"visit"`
	Liaisons    []liaisonView `json:"liaisons"`
}

// careQueue lists the overdue visits the caller answers for: the families
// they are a liaison of, and for a unit head or a caseworker every family
// of their units; the committee sees every unit's. It pages by family
// (?limit&after, keyed as the family list): items are the overdue visits
// of one page of families, soonest due first, so a page can be empty
// while next says more families follow.
func (a *API) careQueue(c *gin.Context) {
	id := auth.Current(c)
	lang := httpx.Lang(c)
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	sc := store.CareScope{All: isCommittee(id), UserID: id.UserID}
	if id.Has(auth.RoleUnitHead, auth.RoleCaseworker) {
		sc.Units = id.Units
	}
	recs, next, err := a.Store.CareRecords(c.Request.Context(), sc, pr)
	if err != nil {
		fail(c, err)
		return
	}
	plans, _, err := a.plans(c.Request.Context(), recs)
	if err != nil {
		fail(c, err)
		return
	}
	items := []queueItem{}
	var shown []domain.CareRecord
	for _, r := range recs {
		overdue := plans[r.ID].Overdue()
		if len(overdue) == 0 {
			continue
		}
		masked := !canSeeCare(id, r)
		name := r.SubjectName
		if masked {
			name = domain.MaskName(name)
		} else {
			shown = append(shown, r)
		}
		for _, v := range overdue {
			items = append(items, queueItem{RecordID: r.ID, UnitID: r.UnitID, SubjectName: name, Masked: masked, Visit: viewPlanned(lang, v),
				Liaisons: viewLiaisons(lang, r.Liaisons)})
		}
	}
	slices.SortStableFunc(items, func(x, y queueItem) int { return strings.Compare(x.Visit.DueOn, y.Visit.DueOn) })
	if !a.auditList(c, "grants.care.queue", shown) {
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": items, "next": next})
}

// unitSummary is the committee's count of one unit's care.
type unitSummary struct {
	UnitID          string `json:"unit_id"`
	Families        int    `json:"families"`
	VisitsDue       int    `json:"visits_due"`
	VisitsOnTime    int    `json:"visits_on_time"`
	VisitsLate      int    `json:"visits_late"`
	VisitsOverdue   int    `json:"visits_overdue"`
	MattersOpen     int    `json:"matters_open"`
	MattersResolved int    `json:"matters_resolved"`
	MattersOverdue  int    `json:"matters_overdue"`
}

// careSummary counts, by unit, the families covered, the planned visits
// whose due date has passed (on time, late, still overdue) and the matters
// open and resolved. Counts only: no family is named.
func (a *API) careSummary(c *gin.Context) {
	ctx := c.Request.Context()
	byUnit := map[string]*unitSummary{}
	get := func(u string) *unitSummary {
		if byUnit[u] == nil {
			byUnit[u] = &unitSummary{UnitID: u}
		}
		return byUnit[u]
	}
	today := a.today()
	// a page of families at a time, with their plans and matters: the
	// counts, not the records, are what the summary keeps
	err := a.Store.EachCarePage(ctx, store.CareScope{All: true}, func(recs []domain.CareRecord) error {
		plans, _, err := a.plans(ctx, recs)
		if err != nil {
			return err
		}
		ids := make([]string, len(recs))
		unitOf := make(map[string]string, len(recs))
		for i, r := range recs {
			ids[i], unitOf[r.ID] = r.ID, r.UnitID
			s := get(r.UnitID)
			s.Families++
			for _, v := range plans[r.ID].Visits {
				switch v.Status {
				case domain.VisitOnTime:
					s.VisitsDue++
					s.VisitsOnTime++
				case domain.VisitLate:
					s.VisitsDue++
					s.VisitsLate++
				case domain.VisitOverdue:
					s.VisitsDue++
					s.VisitsOverdue++
				}
			}
		}
		matters, err := a.Store.Matters(ctx, ids...)
		if err != nil {
			return err
		}
		for _, m := range matters {
			s := get(unitOf[m.RecordID])
			if m.State == domain.MatterResolved {
				s.MattersResolved++
				continue
			}
			s.MattersOpen++
			if m.Overdue(today) {
				s.MattersOverdue++
			}
		}
		return nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]unitSummary, 0, len(byUnit))
	total := unitSummary{UnitID: ""}
	for _, s := range byUnit {
		out = append(out, *s)
		total.Families += s.Families
		total.VisitsDue += s.VisitsDue
		total.VisitsOnTime += s.VisitsOnTime
		total.VisitsLate += s.VisitsLate
		total.VisitsOverdue += s.VisitsOverdue
		total.MattersOpen += s.MattersOpen
		total.MattersResolved += s.MattersResolved
		total.MattersOverdue += s.MattersOverdue
	}
	slices.SortFunc(out, func(x, y unitSummary) int { return strings.Compare(x.UnitID, y.UnitID) })
	c.JSON(http.StatusOK, gin.H{"units": out, "total": total, "as_of": today.Format(time.DateOnly)})
}

// careExport writes every family as CSV (UTF-8 with BOM, CRLF, cells
// neutralised). Names are masked unless ?unmask=true, which is recorded
// in the audit trail as a deliberate unmasked export.
func (a *API) careExport(c *gin.Context) {
	ctx := c.Request.Context()
	lang := httpx.Lang(c)
	unmask := false
	switch c.Query("unmask") {
	case "", "false":
	case "true":
		unmask = true
	default:
		fail(c, httpx.Invalid(fielderr.Problem{Field: "unmask", Code: domain.CodeUnknownValue, Args: []any{c.Query("unmask")}}))
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	head := []string{"unit", "kind", "family", "persons", "leader", "caseworker", "next_visit", "next_due", "overdue_visits"}
	for i, h := range head {
		head[i] = i18n.T(lang, "grants.care.export."+h)
	}
	_ = w.Write(head)
	var ids []string
	// a page of families at a time: no query reads every record at once
	err := a.Store.EachCarePage(ctx, store.CareScope{All: true}, func(recs []domain.CareRecord) error {
		plans, _, err := a.plans(ctx, recs)
		if err != nil {
			return err
		}
		for _, r := range recs {
			ids = append(ids, r.ID)
			name := r.SubjectName
			persons := make([]string, 0, len(r.Persons))
			for _, p := range r.Persons {
				pn := p.Name
				if !unmask {
					pn = domain.MaskName(pn)
				}
				persons = append(persons, i18n.T(lang, "grants.relation."+p.Relation)+" "+pn)
			}
			if !unmask {
				name = domain.MaskName(name)
			}
			leader, _ := r.Liaison(domain.LiaisonLeader)
			cw, _ := r.Liaison(domain.LiaisonCaseworker)
			next, due := "", ""
			if n, ok := plans[r.ID].Next(); ok {
				next, due = i18n.T(lang, "grants.care.occasion."+string(n.Occasion))+" "+strconv.Itoa(n.Year), n.DueOn.Format(time.DateOnly)
			}
			row := []string{r.UnitID, i18n.T(lang, "grants.care.kind."+string(r.Kind)), name, strings.Join(persons, "；"), leader.Name, cw.Name, next, due}
			for i := range row {
				row[i] = domain.NeutralizeCell(row[i])
			}
			_ = w.Write(append(row, strconv.Itoa(len(plans[r.ID].Overdue()))))
		}
		return nil
	})
	if err != nil {
		fail(c, err)
		return
	}
	w.Flush()
	action := "grants.care.export"
	if unmask {
		action = "grants.care.export.unmasked"
	}
	if err := a.Store.Audit(ctx, meta(c), action, "care_export", a.Clock.Now().UTC().Format("20060102T150405Z"),
		map[string]any{"unmasked": unmask, "record_ids": ids}); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="family-care.csv"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

type visitRuleView struct {
	Occasion     string    `json:"occasion"`
	OccasionText string    `json:"occasion_text"`
	Enabled      bool      `json:"enabled"`
	DaysBefore   int       `json:"days_before"`
	DaysAfter    int       `json:"days_after"`
	Version      int64     `json:"version"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func viewRule(lang i18n.Lang, r domain.VisitRule) visitRuleView {
	return visitRuleView{Occasion: string(r.Occasion), OccasionText: i18n.T(lang, "grants.care.occasion."+string(r.Occasion)), Enabled: r.Enabled,
		DaysBefore: r.DaysBefore, DaysAfter: r.DaysAfter, Version: r.Version, UpdatedAt: r.UpdatedAt}
}

func (a *API) listVisitRules(c *gin.Context) {
	rules, err := a.Store.VisitRules(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]visitRuleView, len(rules))
	for i, r := range rules {
		out[i] = viewRule(httpx.Lang(c), r)
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": ""})
}

type visitRuleBody struct {
	Enabled    bool `json:"enabled"`
	DaysBefore int  `json:"days_before"`
	DaysAfter  int  `json:"days_after"`
}

func (a *API) putVisitRule(c *gin.Context) {
	r := domain.VisitRule{Occasion: domain.Occasion(c.Param("occasion"))}
	if !slices.Contains(domain.PlannedOccasions, r.Occasion) {
		fail(c, store.ErrNotFound)
		return
	}
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	var b visitRuleBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	r.Enabled, r.DaysBefore, r.DaysAfter = b.Enabled, b.DaysBefore, b.DaysAfter
	if err := r.Validate(); err != nil {
		fail(c, err)
		return
	}
	out, err := a.Store.PutVisitRule(c.Request.Context(), meta(c), r, version)
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, out.Version)
	c.JSON(http.StatusOK, viewRule(httpx.Lang(c), out))
}

type festivalYearView struct {
	Year           int    `json:"year"`
	SpringFestival string `json:"spring_festival"`
	Qingming       string `json:"qingming"`
}

func (a *API) listFestivalDates(c *gin.Context) {
	dates, err := a.Store.FestivalDates(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := []festivalYearView{}
	for y, ds := range dates {
		out = append(out, festivalYearView{Year: y, SpringFestival: dateText(ds[domain.OccasionSpringFestival]), Qingming: dateText(ds[domain.OccasionQingming])})
	}
	slices.SortFunc(out, func(x, y festivalYearView) int { return x.Year - y.Year })
	c.JSON(http.StatusOK, gin.H{"items": out, "next": ""})
}

type festivalBody struct {
	SpringFestival string `json:"spring_festival"`
	Qingming       string `json:"qingming"`
}

// Plausible festival dates: the Spring Festival falls between 21 January
// and 20 February, Qingming on 4, 5 or 6 April.
func plausibleFestival(o domain.Occasion, d time.Time) bool {
	if o == domain.OccasionSpringFestival {
		lo := time.Date(d.Year(), time.January, 21, 0, 0, 0, 0, time.UTC)
		return !d.Before(lo) && !d.After(lo.AddDate(0, 0, 30))
	}
	return d.Month() == time.April && d.Day() >= 4 && d.Day() <= 6
}

func (a *API) putFestivalDates(c *gin.Context) {
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil || year < 2000 || year > 2100 {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "year", Code: domain.CodeOutOfRange, Args: []any{2000, 2100}}))
		return
	}
	var b festivalBody
	if err := httpx.BindJSON(c, &b); err != nil {
		fail(c, err)
		return
	}
	var fields []fielderr.Problem
	dates := map[domain.Occasion]time.Time{}
	for _, f := range []struct {
		name string
		o    domain.Occasion
		v    string
	}{{"spring_festival", domain.OccasionSpringFestival, b.SpringFestival}, {"qingming", domain.OccasionQingming, b.Qingming}} {
		if strings.TrimSpace(f.v) == "" {
			fields = append(fields, fielderr.Problem{Field: f.name, Code: domain.CodeRequired})
			continue
		}
		d := careDate(f.name, f.v, &fields)
		if d.IsZero() {
			continue
		}
		if d.Year() != year || !plausibleFestival(f.o, d) {
			fields = append(fields, fielderr.Problem{Field: f.name, Code: "grants.field.festival_date"})
			continue
		}
		dates[f.o] = d
	}
	if len(fields) > 0 {
		fail(c, httpx.Invalid(fields...))
		return
	}
	if err := a.Store.PutFestivalDates(c.Request.Context(), meta(c), year, dates); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, festivalYearView{Year: year, SpringFestival: dateText(dates[domain.OccasionSpringFestival]), Qingming: dateText(dates[domain.OccasionQingming])})
}

// loadVisitRecord reads the path's visit and its record, 404 unless see
// allows the caller.
func (a *API) loadVisitRecord(c *gin.Context, see func(auth.Identity, domain.CareRecord) bool) (domain.Visit, domain.CareRecord, bool) {
	v, err := a.Store.Visit(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return v, domain.CareRecord{}, false
	}
	rec, ok := a.loadCare(c, v.RecordID, see)
	return v, rec, ok
}

// uploadVisitPhoto stores a photo of a visit (multipart: file), as an
// application's documents are stored: type sniffed from the content, size
// capped.
func (a *API) uploadVisitPhoto(c *gin.Context) {
	v, rec, ok := a.loadVisitRecord(c, canSeeCare)
	if !ok {
		return
	}
	if !canWorkCare(auth.Current(c), rec) {
		fail(c, httpx.Forbidden())
		return
	}
	var tooLarge *http.MaxBytesError
	if err := c.Request.ParseMultipartForm(maxUploadBody); errors.As(err, &tooLarge) {
		fail(c, domain.ErrDocumentTooLarge.With(domain.MaxDocumentBytes>>20))
		return
	}
	fh, err := c.FormFile("file")
	if err != nil {
		fail(c, httpx.Invalid(fielderr.Problem{Field: "file", Code: domain.CodeDocumentEmpty}))
		return
	}
	f, err := fh.Open()
	if err != nil {
		fail(c, httpx.NewError(http.StatusBadRequest, httpx.CodeBadRequest).WithCause(err))
		return
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, domain.MaxDocumentBytes+1))
	if err != nil {
		fail(c, httpx.NewError(http.StatusBadRequest, httpx.CodeBadRequest).WithCause(err))
		return
	}
	contentType, err := domain.SniffDocument(content[:min(len(content), 16)], int64(len(content)))
	if err != nil {
		fail(c, err)
		return
	}
	doc, err := a.Store.AddVisitPhoto(c.Request.Context(), meta(c), v.ID, store.NewDocument{Kind: "photo",
		FileName: domain.CleanFileName(fh.Filename, contentType), ContentType: contentType, Content: content})
	if err != nil {
		fail(c, err)
		return
	}
	view := viewFile(doc)
	view.DownloadURL = "/api/v1/grants/care/visits/" + v.ID + "/photos/" + doc.ID
	c.Header("Location", view.DownloadURL)
	c.JSON(http.StatusCreated, view)
}

// downloadVisitPhoto sends a photo to whoever sees the family's record.
func (a *API) downloadVisitPhoto(c *gin.Context) {
	v, _, ok := a.loadVisitRecord(c, canSeeCare)
	if !ok {
		return
	}
	doc, content, err := a.Store.ReadVisitPhoto(c.Request.Context(), meta(c), v.ID, c.Param("photo"))
	if err != nil {
		fail(c, err)
		return
	}
	docfile.Serve(c.Writer, doc.FileName, doc.ContentType, doc.SHA256, content)
	c.Abort()
}
