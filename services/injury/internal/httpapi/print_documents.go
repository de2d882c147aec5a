package httpapi

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/services/injury/internal/domain"
)

// Printed documents of a case: its summary, for whoever may read the case
// (a colleague who reported it gets the report only, as in the JSON), and
// the cover sheet of the work-injury determination application (工伤认定
// 申请), for the member and staff, who may see the determination. Anyone
// else gets 404. Each print is audited like a read of the case.

// registerPrints adds the print routes to g.
func (h *Handler) registerPrints(g gin.IRouter) {
	g.GET("/cases/:id/summary.pdf", h.printSummary)
	g.GET("/cases/:id/determination-cover.pdf", h.printDeterminationCover)
}

func (h *Handler) newDoc(c *gin.Context, titleKey, number string) (*pdfdoc.Doc, bool) {
	lang := httpx.Lang(c)
	d, err := pdfdoc.New(h.Fonts, pdfdoc.Meta{Title: i18n.T(lang, titleKey), Issuer: i18n.T(lang, "injury.pdf.issuer"), Number: number,
		PrintedAt: h.Clock.Now(), Lang: lang})
	if err != nil {
		httpx.Respond(c, pdfdoc.Problem(err))
		return nil, false
	}
	return d, true
}

func (h *Handler) printSummary(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, _, ok := h.loadVisible(c, who, domain.AccessReporter)
	if !ok {
		return
	}
	d, ok := h.newDoc(c, "injury.pdf.summary.title", cs.Number)
	if !ok {
		return
	}
	if err := h.Store.AuditRead(c.Request.Context(), h.meta(c, who), "print_summary", cs.ID); err != nil {
		fail(c, err)
		return
	}
	v := h.view(c.Request.Context(), cs, who)
	t := d.T
	d.Heading(t("injury.pdf.summary.case"))
	fields := []pdfdoc.Field{
		{Label: t("injury.pdf.number"), Value: v.Number}, {Label: t("injury.pdf.state"), Value: t("injury.state." + v.State)},
		{Label: t("injury.pdf.injured"), Value: injuredName(v)}, {Label: t("injury.pdf.severity"), Value: t("injury.pdf.severity." + v.Severity)},
		{Label: t("injury.pdf.injured_at"), Value: localTime(v.InjuredAt), Wide: true},
		{Label: t("injury.pdf.place"), Value: v.Place, Wide: true},
		{Label: t("injury.pdf.hospital"), Value: v.Hospital, Wide: true},
		{Label: t("injury.pdf.description"), Value: v.Description, Wide: true},
		{Label: t("injury.pdf.opened_at"), Value: localTime(v.OpenedAt)},
	}
	if v.Reporter != nil {
		fields = append(fields, pdfdoc.Field{Label: t("injury.pdf.reporter"), Value: v.Reporter.Name})
	}
	if v.InCharge != nil {
		fields = append(fields, pdfdoc.Field{Label: t("injury.pdf.in_charge"), Value: v.InCharge.Name + " " + v.InCharge.Phone})
	}
	if v.ClosedAt != nil {
		fields = append(fields, pdfdoc.Field{Label: t("injury.pdf.closed_at"), Value: localTime(*v.ClosedAt)})
	}
	d.Fields(fields...)
	w := pdfdoc.ContentWidth
	if len(v.Guarantees) > 0 {
		d.Heading(t("injury.pdf.summary.guarantees"))
		rows := make([][]string, 0, len(v.Guarantees))
		for _, g := range v.Guarantees {
			rows = append(rows, []string{g.Hospital, pdfdoc.Yuan(g.AmountFen), localTime(g.At)})
		}
		d.Table([]pdfdoc.Column{{Title: t("injury.pdf.hospital"), Width: w * 0.5}, {Title: t("injury.pdf.amount"), Width: w * 0.22, Align: "R"},
			{Title: t("injury.pdf.at"), Width: w * 0.28}}, rows)
	}
	if det := v.Determination; det != nil {
		d.Heading(t("injury.pdf.summary.determination"))
		df := []pdfdoc.Field{{Label: t("injury.pdf.filed_on"), Value: det.FiledOn}, {Label: t("injury.pdf.filer"), Value: t("injury.pdf.filer." + det.Filer)},
			{Label: t("injury.pdf.accepted_on"), Value: det.AcceptedOn}, {Label: t("injury.pdf.decided_on"), Value: det.DecidedOn}}
		if det.Outcome != "" {
			df = append(df, pdfdoc.Field{Label: t("injury.pdf.outcome"), Value: t("injury.pdf.outcome."+det.Outcome, det.Article, det.Clause), Wide: true})
		}
		d.Fields(df...)
	}
	if g := v.Grading; g != nil {
		grade := ""
		if g.Grade != nil {
			grade = t("injury.pdf.grade_n", *g.Grade)
		}
		d.Heading(t("injury.pdf.summary.grading"))
		d.Fields(pdfdoc.Field{Label: t("injury.pdf.round"), Value: t("injury.round." + g.Round)}, pdfdoc.Field{Label: t("injury.pdf.applied_on"), Value: g.AppliedOn},
			pdfdoc.Field{Label: t("injury.pdf.grade"), Value: grade}, pdfdoc.Field{Label: t("injury.pdf.graded_on"), Value: g.GradedOn})
	}
	if l := v.Leave; l != nil {
		d.Heading(t("injury.pdf.summary.leave"))
		d.Fields(pdfdoc.Field{Label: t("injury.pdf.leave_start"), Value: l.Start}, pdfdoc.Field{Label: t("injury.pdf.leave_end"), Value: l.End})
	}
	if len(v.Clocks) > 0 {
		d.Heading(t("injury.pdf.summary.clocks"))
		rows := make([][]string, 0, len(v.Clocks))
		for _, k := range v.Clocks {
			rows = append(rows, []string{t("injury.clock." + k.Kind), t("injury.status." + k.Status), localTime(k.DueAt)})
		}
		d.Table([]pdfdoc.Column{{Title: t("injury.pdf.clock"), Width: w * 0.45}, {Title: t("injury.pdf.clock_status"), Width: w * 0.25},
			{Title: t("injury.pdf.due_at"), Width: w * 0.30}}, rows)
	}
	pdfdoc.Write(c, d, t("injury.pdf.summary.file", cs.Number), "case-summary-"+cs.Number+".pdf")
}

// printDeterminationCover prints the cover sheet that goes on top of the
// papers filed with the social insurance authority for a work-injury
// determination: who is injured, the incident, who files and by when
// (工伤保险条例 art. 17), and the checklist of papers art. 18 asks for,
// ticked where the case holds an upload of that kind.
func (h *Handler) printDeterminationCover(c *gin.Context) {
	who, ok := h.actor(c)
	if !ok {
		return
	}
	cs, _, ok := h.loadVisible(c, who, domain.AccessMember)
	if !ok {
		return
	}
	docs, err := h.Store.Documents(c.Request.Context(), cs.ID)
	if err != nil {
		fail(c, err)
		return
	}
	d, ok := h.newDoc(c, "injury.pdf.cover.title", cs.Number)
	if !ok {
		return
	}
	if err := h.Store.AuditRead(c.Request.Context(), h.meta(c, who), "print_determination_cover", cs.ID); err != nil {
		fail(c, err)
		return
	}
	v := h.view(c.Request.Context(), cs, who)
	t := d.T
	filedOn, filer := "", ""
	if det := v.Determination; det != nil {
		filedOn, filer = det.FiledOn, t("injury.pdf.filer."+det.Filer)
	}
	d.Fields(
		pdfdoc.Field{Label: t("injury.pdf.cover.to"), Value: t("injury.pdf.cover.authority"), Wide: true},
		pdfdoc.Field{Label: t("injury.pdf.cover.matter"), Value: t("injury.pdf.cover.matter_text"), Wide: true},
		// the service knows units by id only: the unit's name is written in by hand
		pdfdoc.Field{Label: t("injury.pdf.injured"), Value: injuredName(v)}, pdfdoc.Field{Label: t("injury.pdf.unit"), Value: ""},
		pdfdoc.Field{Label: t("injury.pdf.injured_at"), Value: localTime(v.InjuredAt)}, pdfdoc.Field{Label: t("injury.pdf.number"), Value: v.Number},
		pdfdoc.Field{Label: t("injury.pdf.place"), Value: v.Place, Wide: true},
		pdfdoc.Field{Label: t("injury.pdf.cover.account"), Value: v.Description, Wide: true},
		pdfdoc.Field{Label: t("injury.pdf.hospital"), Value: v.Hospital, Wide: true},
		pdfdoc.Field{Label: t("injury.pdf.filer"), Value: filer}, pdfdoc.Field{Label: t("injury.pdf.filed_on"), Value: filedOn},
	)
	d.Heading(t("injury.pdf.cover.deadlines"))
	w := pdfdoc.ContentWidth
	var rows [][]string
	for _, k := range v.Clocks {
		if k.Kind == string(domain.ClockUnitFiling) || k.Kind == string(domain.ClockMemberFiling) {
			// a day clock is due at the end of its last day: midnight after it
			rows = append(rows, []string{t("injury.clock." + k.Kind), localDate(k.DueAt.Add(-time.Nanosecond)), t("injury.status." + k.Status)})
		}
	}
	d.Table([]pdfdoc.Column{{Title: t("injury.pdf.clock"), Width: w * 0.45}, {Title: t("injury.pdf.cover.last_day"), Width: w * 0.30},
		{Title: t("injury.pdf.clock_status"), Width: w * 0.25}}, rows)
	d.Note(t("injury.pdf.cover.deadline_note"))

	d.Heading(t("injury.pdf.cover.papers"))
	held := map[string]int{}
	for _, doc := range docs {
		held[doc.Kind]++
	}
	papers := []struct{ key, kind string }{
		{"injury.pdf.cover.paper.form", ""},
		{"injury.pdf.cover.paper.employment", ""},
		{"injury.pdf.cover.paper.medical", string(domain.DocMedicalRecord)},
		{"injury.pdf.cover.paper.incident", string(domain.DocIncident)},
	}
	rows = rows[:0]
	for i, p := range papers {
		mark := t("injury.pdf.cover.on_paper")
		if p.kind != "" && held[p.kind] > 0 {
			mark = t("injury.pdf.cover.uploaded", held[p.kind])
		}
		rows = append(rows, []string{strconv.Itoa(i + 1), t(p.key), mark, ""})
	}
	d.Table([]pdfdoc.Column{{Title: t("injury.pdf.seq"), Width: w * 0.08, Align: "C"}, {Title: t("injury.pdf.cover.paper"), Width: w * 0.52},
		{Title: t("injury.pdf.cover.in_system"), Width: w * 0.25}, {Title: t("injury.pdf.cover.checked"), Width: w * 0.15, Align: "C"}}, rows)
	d.Signatures([]pdfdoc.Signature{{Role: t("injury.pdf.cover.sign_applicant")}, {Role: t("injury.pdf.cover.sign_handler"), Name: inChargeName(v),
		Date: filedOn}}, t("injury.pdf.cover.seal"))
	pdfdoc.Write(c, d, t("injury.pdf.cover.file", cs.Number), "determination-cover-"+cs.Number+".pdf")
}

func injuredName(v caseView) string {
	if v.MemberName != "" {
		return v.MemberName
	}
	return v.UnknownName
}

func inChargeName(v caseView) string {
	if v.InCharge == nil {
		return ""
	}
	return v.InCharge.Name
}

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format("2006-01-02 15:04")
}

func localDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return clock.Local(t).Format(time.DateOnly)
}
