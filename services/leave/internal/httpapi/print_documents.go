package httpapi

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/pdfdoc"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

// printRequest prints a leave request as the approval slip (年休假审批单)
// that goes into the member's file: whoever may read the request (the
// member, staff of its unit) may print it, anyone else gets 404, as
// GET /requests/:id.
func (a *API) printRequest(c *gin.Context) {
	r, ok := a.requestFor(c)
	if !ok {
		return
	}
	lang := httpx.Lang(c)
	d, err := pdfdoc.New(a.opts.Fonts, pdfdoc.Meta{Title: i18n.T(lang, "leave.pdf.title"), Issuer: i18n.T(lang, "leave.pdf.issuer"),
		Number: r.ID, PrintedAt: a.clk.Now(), Lang: lang})
	if err != nil {
		httpx.Respond(c, pdfdoc.Problem(err))
		return
	}
	t := d.T
	days := strconv.Itoa(r.Days)
	if r.RestoredDays > 0 {
		days += t("leave.pdf.restored", r.RestoredDays)
	}
	fields := []pdfdoc.Field{
		// the service knows units by id only: no unit row rather than a uuid on paper
		{Label: t("leave.pdf.member"), Value: r.MemberName}, {Label: t("leave.pdf.status"), Value: t("leave.pdf.status." + string(r.Status))},
		{Label: t("leave.pdf.kind"), Value: t("leave.pdf.kind_annual"), Wide: true},
		{Label: t("leave.pdf.from"), Value: r.From.Format(time.DateOnly)}, {Label: t("leave.pdf.to"), Value: r.To.Format(time.DateOnly)},
		{Label: t("leave.pdf.days"), Value: days}, {Label: t("leave.pdf.applied_at"), Value: clock.Local(r.CreatedAt).Format("2006-01-02 15:04")},
		{Label: t("leave.pdf.reason"), Value: r.Reason, Wide: true},
	}
	d.Fields(fields...)
	if r.ProvisionalCalendar {
		d.Note(t("leave.pdf.provisional"))
	}
	d.Heading(t("leave.pdf.decisions"))
	w := pdfdoc.ContentWidth
	rows := make([][]string, 0, len(r.Decisions))
	levels := map[int]domain.Decision{}
	for _, dc := range r.Decisions {
		who := dc.ActorName
		if who == "" {
			who = dc.Actor
		}
		if dc.Actor == r.MemberID {
			who = r.MemberName
		}
		level := t("leave.pdf.level", dc.Level)
		if dc.Level == 0 {
			level = t("leave.pdf.level_member")
		}
		rows = append(rows, []string{level, who, t("leave.pdf.outcome." + string(dc.Outcome)), dc.Comment,
			clock.Local(dc.At).Format("2006-01-02 15:04")})
		if dc.Outcome == domain.OutcomeApproved || dc.Outcome == domain.OutcomeRejected {
			levels[dc.Level] = dc
		}
	}
	d.Table([]pdfdoc.Column{{Title: t("leave.pdf.level_title"), Width: w * 0.14, Align: "C"}, {Title: t("leave.pdf.by"), Width: w * 0.18},
		{Title: t("leave.pdf.outcome"), Width: w * 0.14}, {Title: t("leave.pdf.comment"), Width: w * 0.32}, {Title: t("leave.pdf.at"), Width: w * 0.22}}, rows)
	sigs := []pdfdoc.Signature{{Role: t("leave.pdf.sign.member"), Name: r.MemberName, Date: clock.Local(r.CreatedAt).Format(time.DateOnly)}}
	sign := func(level int, role string) {
		s := pdfdoc.Signature{Role: role}
		if dc, ok := levels[level]; ok && dc.ActorName != "" {
			s.Name, s.Date = dc.ActorName, clock.Local(dc.At).Format(time.DateOnly)
		}
		sigs = append(sigs, s)
	}
	sign(1, t("leave.pdf.sign.unit_head"))
	if r.SecondLevel {
		sign(2, t("leave.pdf.sign.approver"))
	}
	d.Signatures(sigs, t("leave.pdf.seal"))
	pdfdoc.Write(c, d, t("leave.pdf.file", r.From.Format(time.DateOnly)), "leave-slip-"+r.From.Format(time.DateOnly)+".pdf")
}
