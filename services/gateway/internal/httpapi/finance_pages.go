package httpapi

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// Finance pages: fund position (a server-drawn SVG chart), trial balance,
// the ledger with filters, and exports with a progress page; over
// /api/v1/grants (api/openapi/grants.yaml).

type grantFund struct {
	ID            string `json:"id"`
	FiscalYear    int    `json:"fiscal_year"`
	Name          string `json:"name"`
	Appropriation int64  `json:"appropriation"`
	Committed     int64  `json:"committed"`
	Disbursed     int64  `json:"disbursed"`
	Remaining     int64  `json:"remaining"`
}

type fundPosition struct {
	ProgramID    string `json:"program_id"`
	Appropriated int64  `json:"appropriated"`
	Committed    int64  `json:"committed"`
	Disbursed    int64  `json:"disbursed"`
	Remaining    int64  `json:"remaining"`
}

type trialBalance struct {
	AsOf        string            `json:"as_of"`
	Rows        []trialBalanceRow `json:"rows"`
	TotalDebit  int64             `json:"total_debit"`
	TotalCredit int64             `json:"total_credit"`
	Balanced    bool              `json:"balanced"`
}

// trialBalanceRow is one account of the trial balance. Balance is signed
// on the account's normal side (NormalSide: debit or credit).
type trialBalanceRow struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	NormalSide string `json:"normal_side"`
	Debit      int64  `json:"debit"`
	Credit     int64  `json:"credit"`
	Balance    int64  `json:"balance"`
}

// Side is the side the balance stands on, as a ledger prints it: the
// normal side when positive, the other when negative, "even" at zero.
func (r trialBalanceRow) Side() string {
	side := r.NormalSide
	if side != "credit" {
		side = "debit"
	}
	switch {
	case r.Balance == 0:
		return "even"
	case r.Balance < 0 && side == "debit":
		return "credit"
	case r.Balance < 0:
		return "debit"
	}
	return side
}

// Amount is the balance without its sign: Side says where it stands.
func (r trialBalanceRow) Amount() int64 {
	if r.Balance < 0 {
		return -r.Balance
	}
	return r.Balance
}

type ledgerEntry struct {
	ID      string `json:"id"`
	Voucher string `json:"voucher"`
	Date    string `json:"date"`
	Kind    string `json:"kind"`
	Summary string `json:"summary"`
	// ReversalOf is the entry a reversal reverses.
	ReversalOf string `json:"reversal_of"`
	Lines      []struct {
		AccountCode string `json:"account_code"`
		Debit       int64  `json:"debit"`
		Credit      int64  `json:"credit"`
	} `json:"lines"`
}

// chartBar is one program's bar in the position chart, in SVG units.
type chartBar struct {
	Label                           string
	Y                               int
	CommittedW, DisbursedW, RemainW int
	// Allocated is the programme's allocation; Unpaid what is committed
	// and not yet paid.
	Allocated, Unpaid               int64
	Committed, Disbursed, Remaining int64
}

// chartTick is one mark of the chart's amount axis.
type chartTick struct {
	X     int
	Label string
}

type financeData struct {
	Funds  []grantFund
	Fund   *grantFund
	AsOf   string
	Bars   []chartBar
	Height int
	// Ticks are the amount axis' marks under the bars; AxisY is where the
	// axis runs.
	Ticks []chartTick
	AxisY int
	Trial *trialBalance
	ToPay []grantApplication
	// ToPayPages links the to-pay list's next page (cursor in
	// topay_after); ToPayStale: its cursor was refused, the first page shows.
	ToPayPages pager
	ToPayStale bool
	Programs   map[string]string
	From, To   string
	// Export is the export form: its values and errors.
	Export *web.Form
	// ProgramOptions are the fund's programmes for the export filter.
	ProgramOptions []web.Option
	Formats        []string
	// CanExport is true for finance, the only role the export is for
	// (POST /finance/exports); auditors and administrators read.
	CanExport bool
	// CanRunRecurring offers the run of the recurring grant payments
	// (finance and administrators).
	CanRunRecurring bool
	// Confirm is the confirmation card of that run.
	Confirm *confirmCard
}

func (h *handlers) registerFinancePages(g *gin.RouterGroup) {
	fin := h.requireUser(domain.RoleFinance, domain.RoleAuditor, domain.RoleAdmin)
	g.GET("/finance", fin, h.financePage)
	g.GET("/finance/ledger", fin, h.ledgerPage)
	finance := h.requireUser(domain.RoleFinance)
	g.POST("/finance/exports", finance, h.exportStart)
	g.GET("/finance/exports/:id", finance, h.exportPage)
	g.GET("/finance/exports/:id/download", finance, h.exportDownload)
	g.POST("/finance/ledger/entries/:id/reverse", finance, h.reverseEntry)
	g.POST("/finance/recurring/run", h.requireUser(domain.RoleFinance, domain.RoleAdmin), h.runRecurring)
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

// fundByID lists the funds and picks want, the one a page's ?fund= or
// form names (the newest year's when empty).
func (h *handlers) fundByID(c *gin.Context, want string) ([]grantFund, *grantFund, bool) {
	var funds struct {
		Items []grantFund `json:"items"`
	}
	if err := listInto(h, c, "grants", grantsAPI+"/funds", "items", &funds.Items); err != nil {
		h.serviceFailed(c, err)
		return nil, nil, false
	}
	for i := range funds.Items {
		if want == "" || funds.Items[i].ID == want {
			return funds.Items, &funds.Items[i], true
		}
	}
	return funds.Items, nil, true
}

var dateOnly = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

func (h *handlers) financePage(c *gin.Context) {
	h.renderFinance(c, http.StatusOK, c.Query("fund"), nil)
}

// runRecurring pays the due months of every active recurring grant
// (POST /api/v1/grants/recurring/run). The first press shows the finance
// page with what the run does and changes nothing; the second, with
// confirm=yes, runs it and comes back with how many grants it processed.
func (h *handlers) runRecurring(c *gin.Context) {
	fund := strings.TrimSpace(c.PostForm("fund"))
	if !confirmed(c) {
		card := &confirmCard{Text: web.Msg("web.confirm.recurring"), Hint: "web.confirm.recurring_hint", Action: "/finance/recurring/run",
			Button: "web.confirm.recurring_button", Back: "/finance"}
		if fund != "" {
			card.Hidden = []hiddenField{{Name: "fund", Value: fund}}
			card.Back += "?fund=" + url.QueryEscape(fund)
		}
		h.renderFinancePage(c, http.StatusOK, fund, nil, card)
		return
	}
	var out struct {
		Grants int `json:"grants"`
	}
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/recurring/run", 0, map[string]any{}, &out); err != nil {
		h.serviceFailed(c, err)
		return
	}
	q := url.Values{"recurring": {strconv.Itoa(out.Grants)}}
	if fund != "" {
		q.Set("fund", fund)
	}
	c.Redirect(http.StatusSeeOther, "/finance?"+q.Encode())
}

// renderFinance shows the fund's position, trial balance, payments due and
// the export form (export: its values and errors; nil: the defaults).
func (h *handlers) renderFinance(c *gin.Context, status int, fundID string, export *web.Form) {
	h.renderFinancePage(c, status, fundID, export, nil)
}

// renderFinancePage is renderFinance with a confirmation card (nil: none).
func (h *handlers) renderFinancePage(c *gin.Context, status int, fundID string, export *web.Form, card *confirmCard) {
	funds, fund, ok := h.fundByID(c, fundID)
	if !ok {
		return
	}
	d := financeData{Funds: funds, Fund: fund, AsOf: clock.Today(h.Clock).Format(time.DateOnly)}
	if a := c.Query("as_of"); dateOnly.MatchString(a) {
		d.AsOf = a
	}
	d.From = time.Date(clock.Today(h.Clock).Year(), 1, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	d.To = d.AsOf
	if export == nil {
		export = web.NewForm().Set("from", d.From).Set("to", d.To).Set("format", "xlsx")
	}
	d.Export, d.Formats = export, []string{"xlsx", "csv"}
	d.CanExport = currentUser(c).Has(domain.RoleFinance)
	d.CanRunRecurring, d.Confirm = currentUser(c).Has(domain.RoleFinance, domain.RoleAdmin), card
	if fund != nil {
		id := url.PathEscape(fund.ID)
		var pos struct {
			Fund     fundPosition   `json:"fund"`
			Programs []fundPosition `json:"programs"`
		}
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/funds/"+id+"/position?as_of="+d.AsOf, 0, nil, &pos); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Programs = h.programNames(c, fund.ID)
		d.Bars, d.Height = chart(pos.Programs, d.Programs)
		d.Ticks, d.AxisY = chartAxis(pos.Programs, d.Height)
		d.Height += axisHeight
		d.ProgramOptions = programOptions(d.Programs)
		var tb trialBalance
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/funds/"+id+"/trial-balance?as_of="+d.AsOf, 0, nil, &tb); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Trial = &tb
	}
	if currentUser(c).Has(domain.RoleFinance) {
		apps, next, stale, err := h.grantQueue(c, "finance", "approved", c.Query("topay_after"), 0)
		if err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.ToPay, d.ToPayStale = apps, stale
		d.ToPayPages = pagerFor(c, "to-pay", "topay_after", next)
	}
	p := h.page(c, "web.finance.title")
	p.Data, p.Form = d, export
	if n, err := strconv.Atoi(c.Query("recurring")); err == nil && n >= 0 && card == nil {
		m := web.Msg("web.confirm.recurring_done", n)
		p.Flash = &m
	}
	h.render(c, status, "finance", p)
}

// chartWidth is the bars' full length in SVG units: 400 so a phone shows
// the chart at about its natural size. chartRow is one programme's
// height: its label, its bar and the amounts under it.
const (
	chartWidth = 400
	chartRow   = 72
	axisHeight = 34
)

// chartMax is the amount the full bar length stands for: the largest
// allocation, rounded up to a round figure so the axis reads easily.
func chartMax(ps []fundPosition) int64 {
	var top int64 = 1
	for _, p := range ps {
		top = max(top, p.Appropriated, p.Committed+p.Remaining)
	}
	// a round step: 1, 2, 2.5 or 5 times a power of ten yuan (in fen),
	// four steps to the end of the axis
	for p := int64(10); ; p *= 10 {
		for _, m := range []int64{10, 20, 25, 50} {
			if step := m * p; step*4 >= top {
				return step * 4
			}
		}
	}
}

// chartAxis is the amount axis under the bars: five marks from zero to
// chartMax, in yuan.
func chartAxis(ps []fundPosition, top int) ([]chartTick, int) {
	m := chartMax(ps)
	ticks := make([]chartTick, 0, 5)
	for i := int64(0); i <= 4; i++ {
		ticks = append(ticks, chartTick{X: int(i * chartWidth / 4), Label: compactYuan(m * i / 4)})
	}
	return ticks, top
}

// compactYuan writes fen as whole yuan with thousands separators and no
// decimals ("¥200,000"), short enough for an axis mark.
func compactYuan(fen int64) string {
	s := strconv.FormatInt(fen/100, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "¥" + b.String()
}

// chart lays out one horizontal stacked bar per program: disbursed,
// committed but not yet paid, and remaining, scaled to a round figure
// above the largest allocation (the axis' end). Drawn on the server as
// SVG, so it needs no script; the amounts are written under each bar and
// the page gives them again as a table.
func chart(ps []fundPosition, names map[string]string) ([]chartBar, int) {
	const width, row = chartWidth, chartRow
	maxTotal := chartMax(ps)
	scale := func(v int64) int {
		if v <= 0 {
			return 0
		}
		return int(v * width / maxTotal)
	}
	bars := make([]chartBar, 0, len(ps))
	for i, p := range ps {
		label := names[p.ProgramID]
		if label == "" {
			label = p.ProgramID
		}
		unpaid := p.Committed - p.Disbursed
		bars = append(bars, chartBar{
			Label: label, Y: i * row,
			DisbursedW: scale(p.Disbursed), CommittedW: scale(unpaid), RemainW: scale(p.Remaining),
			Allocated: p.Appropriated, Unpaid: unpaid,
			Committed: p.Committed, Disbursed: p.Disbursed, Remaining: p.Remaining,
		})
	}
	return bars, len(ps)*row + 4
}

type ledgerData struct {
	Funds    []grantFund
	Fund     *grantFund
	Entries  []ledgerEntry
	From, To string
	Program  string
	Programs map[string]string
	Next     string
	// Accounts names the chart's accounts by code, in the page's language.
	Accounts map[string]string
	// CanReverse offers finance the reversal of each entry.
	CanReverse bool
	// Reversed marks the entries reversed on the page.
	Reversed map[string]bool
	// Confirm is the confirmation card of a reversal.
	Confirm *confirmCard
}

func (h *handlers) ledgerPage(c *gin.Context) {
	var flash *web.Message
	if v := c.Query("reversed"); v != "" {
		m := web.Msg("web.confirm.reversed", v)
		flash = &m
	}
	h.renderLedger(c, http.StatusOK, c.Query("fund"), flash, nil, "", nil)
}

// reasonMax is the longest reversal reason, in characters.
const reasonMax = 200

// reverseEntry reverses a ledger entry (POST /api/v1/grants/entries/{id}/
// reverse), finance only. The first press shows the ledger with a card
// saying what the reversal books and asking the reason; nothing changes.
// The second, with confirm=yes and a reason, books it and shows the
// ledger with the reversing entry's voucher. The reason is checked here
// (required, at most 200 characters) and sent as {"reason": …}.
func (h *handlers) reverseEntry(c *gin.Context) {
	id := c.Param("id")
	fund := strings.TrimSpace(c.PostForm("fund"))
	reason := strings.TrimSpace(c.PostForm("reason"))
	form := web.NewForm().Set("reason", c.PostForm("reason"))
	if !confirmed(c) {
		h.renderLedger(c, http.StatusOK, fund, nil, nil, id, web.NewForm())
		return
	}
	switch {
	case reason == "":
		form.AddError("reason", web.Msg("field.required"))
	case utf8.RuneCountInString(reason) > reasonMax:
		form.AddError("reason", web.Msg("web.confirm.reason_long"))
	}
	if form.HasErrors() {
		h.renderLedger(c, http.StatusUnprocessableEntity, fund, nil, nil, id, form)
		return
	}
	var rev ledgerEntry
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/entries/"+url.PathEscape(id)+"/reverse", 0, map[string]string{"reason": reason}, &rev); err != nil {
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		if len(form.Errors("reason")) > 0 {
			h.renderLedger(c, statusOf(err), fund, nil, nil, id, form)
			return
		}
		alert := web.Msg("web.approvals.refused")
		if g := append(form.General(), flatten(form)...); len(g) > 0 {
			alert = g[0]
		}
		h.renderLedger(c, statusOf(err), fund, nil, &alert, "", nil)
		return
	}
	q := url.Values{"reversed": {rev.Voucher}}
	if fund != "" {
		q.Set("fund", fund)
	}
	c.Redirect(http.StatusSeeOther, "/finance/ledger?"+q.Encode())
}

// renderLedger shows fund's ledger as the query filters it; reverse, when
// not "", is the entry whose reversal the page asks to confirm, with form
// the reason typed and its errors.
func (h *handlers) renderLedger(c *gin.Context, status int, fundID string, flash, alert *web.Message, reverse string, form *web.Form) {
	funds, fund, ok := h.fundByID(c, fundID)
	if !ok {
		return
	}
	d := ledgerData{Funds: funds, Fund: fund, From: c.Query("from"), To: c.Query("to"), Program: c.Query("program"),
		CanReverse: currentUser(c).Has(domain.RoleFinance), Reversed: map[string]bool{}}
	if fund != nil {
		q := url.Values{"limit": {"200"}}
		for k, v := range map[string]string{"from": d.From, "to": d.To} {
			if dateOnly.MatchString(v) {
				q.Set(k, v)
			}
		}
		if d.Program != "" {
			q.Set("program_id", d.Program)
		}
		if a := c.Query("after"); a != "" {
			q.Set("after", a) // the service's cursor, passed on as it is
		}
		var list struct {
			Items []ledgerEntry `json:"items"`
			Next  string        `json:"next"`
		}
		if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/funds/"+url.PathEscape(fund.ID)+"/entries?"+q.Encode(), 0, nil, &list); err != nil {
			h.serviceFailed(c, err)
			return
		}
		d.Entries = list.Items
		d.Programs = h.programNames(c, fund.ID)
		d.Accounts = h.accountNames(c)
		d.Next = list.Next
		for _, e := range list.Items {
			if e.ReversalOf != "" {
				d.Reversed[e.ReversalOf] = true
			}
		}
	}
	if reverse != "" {
		d.Confirm = &confirmCard{Text: web.Msg("web.confirm.reverse_unlisted"), Action: "/finance/ledger/entries/" + url.PathEscape(reverse) + "/reverse",
			Button: "web.confirm.reverse_button", Back: "/finance/ledger", Reason: true}
		for _, e := range d.Entries {
			if e.ID == reverse {
				d.Confirm.Text = web.Msg("web.confirm.reverse", e.Voucher, e.Date, e.Summary)
			}
		}
		if fund != nil {
			d.Confirm.Hidden = []hiddenField{{Name: "fund", Value: fund.ID}}
			d.Confirm.Back += "?fund=" + url.QueryEscape(fund.ID)
		}
	}
	p := h.page(c, "web.finance.ledger")
	p.Data, p.Flash, p.Alert, p.Form = d, flash, alert, form
	h.render(c, status, "ledger", p)
}

type exportJob struct {
	ID string `json:"id"`
	// FileName is what the file holds: 分类账_2026-01-01_2026-06-30.xlsx.
	FileName  string `json:"file_name"`
	Format    string `json:"format"`
	State     string `json:"state"`
	RowsDone  int    `json:"rows_done"`
	RowsTotal int    `json:"rows_total"`
	Error     string `json:"error"`
}

// exportStart queues a ledger export and shows its progress page.
func (h *handlers) exportStart(c *gin.Context) {
	form := web.NewForm()
	for _, f := range []string{"fund_id", "from", "to", "format", "program_id"} {
		form.Set(f, strings.TrimSpace(c.PostForm(f)))
	}
	body := map[string]string{"fund_id": form.Value("fund_id"), "from": form.Value("from"), "to": form.Value("to"), "format": form.Value("format")}
	if pr := form.Value("program_id"); pr != "" {
		body["program_id"] = pr
	}
	var job exportJob
	if _, err := h.call(c, http.MethodPost, "grants", grantsAPI+"/exports", 0, body, &job); err != nil {
		if !problemOnForm(err, form, nil) {
			h.serviceFailed(c, err)
			return
		}
		// The finance page again, the export form with what was typed
		// and each problem next to its field.
		h.renderFinance(c, statusOf(err), form.Value("fund_id"), form)
		return
	}
	c.Redirect(http.StatusSeeOther, "/finance/exports/"+url.PathEscape(job.ID))
}

// exportPage shows an export's progress; until it is done the page
// reloads itself every two seconds (a meta refresh, no script).
func (h *handlers) exportPage(c *gin.Context) {
	var job exportJob
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/exports/"+url.PathEscape(c.Param("id")), 0, nil, &job); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.finance.export")
	p.Data = job
	h.render(c, http.StatusOK, "export", p)
}

// exportDownload streams the finished file from the service, named by
// what it holds (the service's name: the ledger, its programme, its
// dates), in UTF-8 with an ASCII fallback; the header is built by
// httpx.Attachment, which keeps anything that could break it out.
func (h *handlers) exportDownload(c *gin.Context) {
	id := c.Param("id")
	var job exportJob
	if _, err := h.call(c, http.MethodGet, "grants", grantsAPI+"/exports/"+url.PathEscape(id), 0, nil, &job); err != nil {
		h.serviceFailed(c, err)
		return
	}
	resp, err := h.Upstreams.Stream(c.Request.Context(), currentUser(c), lang(c), "grants", grantsAPI+"/exports/"+url.PathEscape(id)+"/download")
	if err != nil {
		h.serviceFailed(c, err)
		return
	}
	defer resp.Body.Close()
	ext, ctype := "csv", "text/csv; charset=utf-8"
	if job.Format == "xlsx" {
		ext, ctype = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	hd := c.Writer.Header()
	hd.Set("Content-Type", ctype)
	name := job.FileName
	if name == "" || !strings.HasSuffix(name, "."+ext) {
		name = "ledger-" + safeName(id) + "." + ext
	}
	hd.Set("Content-Disposition", httpx.Attachment(name, asciiFileName(name)))
	hd.Set("Cache-Control", "no-store")
	if resp.ContentLength >= 0 {
		hd.Set("Content-Length", strconv.FormatInt(resp.ContentLength, 10))
	}
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, resp.Body); err != nil {
		h.Log.WarnContext(c, "export download interrupted", "export", id, "error", err)
	}
	c.Abort()
}

// safeName keeps letters, digits and '-' of s, so a header built from it
// cannot be broken or steered.
func safeName(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' {
			out = append(out, r)
		}
	}
	if len(out) == 0 || len(out) > 64 {
		return "export"
	}
	return string(out)
}

// accountNames reads the chart of accounts, code → name in the page's
// language; without it the ledger shows codes alone.
func (h *handlers) accountNames(c *gin.Context) map[string]string {
	var chart itemsOf[struct {
		Code   string `json:"code"`
		NameZH string `json:"name_zh"`
		NameEN string `json:"name_en"`
	}]
	if err := listInto(h, c, "grants", grantsAPI+"/accounts", "items", &chart.Items); err != nil {
		h.Log.InfoContext(c, "ledger without account names", "error", err)
		return nil
	}
	out := make(map[string]string, len(chart.Items))
	for _, a := range chart.Items {
		out[a.Code] = a.NameZH
		if lang(c) == "en" && a.NameEN != "" {
			out[a.Code] = a.NameEN
		}
	}
	return out
}

// programOptions are a fund's programmes as choices ordered by name, the
// first meaning all.
func programOptions(names map[string]string) []web.Option {
	ids := webkit.UnitsByName(names)
	out := make([]web.Option, 0, len(ids))
	for _, id := range ids {
		out = append(out, web.Option{Value: id, Label: names[id]})
	}
	return out
}

// asciiFileName is the fallback of a file name for clients that cannot
// read UTF-8 ones: "分类账_2026-01-01_2026-06-30.xlsx" becomes
// "ledger_2026-01-01_2026-06-30.xlsx".
func asciiFileName(name string) string {
	plain := strings.Map(func(r rune) rune {
		if r > 0x7e {
			return -1
		}
		return r
	}, name)
	if plain == name {
		return name
	}
	return "ledger_" + strings.TrimLeft(plain, "_")
}
