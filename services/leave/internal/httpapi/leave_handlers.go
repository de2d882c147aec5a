package httpapi

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/store"
)

type calendarJSON struct {
	Year              int    `json:"year"`
	Off               []Date `json:"off"`
	Work              []Date `json:"work"`
	WorkingDaysInYear int    `json:"working_days_in_year"`
	Version           int64  `json:"version"`
}

func toCalendar(r store.CalendarRecord) calendarJSON {
	out := calendarJSON{Year: r.Calendar.Year(), Off: []Date{}, Work: []Date{}, WorkingDaysInYear: r.Calendar.WorkingDaysInYear(), Version: r.Version}
	for _, d := range r.Calendar.Off() {
		out.Off = append(out.Off, Date{d})
	}
	for _, d := range r.Calendar.Work() {
		out.Work = append(out.Work, Date{d})
	}
	return out
}

func (a *API) getCalendar(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	r, err := a.store.Calendar(c.Request.Context(), y)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, r.Version)
	c.JSON(http.StatusOK, toCalendar(r))
}

type calendarInput struct {
	Off  []Date `json:"off"`
	Work []Date `json:"work"`
}

func dateList(ds []Date) []time.Time {
	out := make([]time.Time, len(ds))
	for i, d := range ds {
		out[i] = d.Time
	}
	return out
}

// putCalendar creates a year's calendar (no If-Match) or replaces it
// (If-Match: the version read).
func (a *API) putCalendar(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	v, ok := optionalVersion(c)
	if !ok {
		return
	}
	var in calendarInput
	if !bind(c, &in) {
		return
	}
	r, err := a.store.PutCalendar(c.Request.Context(), y, dateList(in.Off), dateList(in.Work), v, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, r.Version)
	c.JSON(http.StatusOK, toCalendar(r))
}

func (a *API) queryPeriod(c *gin.Context) (time.Time, time.Time, bool) {
	var fields []fielderr.Problem
	parse := func(name string) time.Time {
		s := c.Query(name)
		if s == "" {
			fields = append(fields, fielderr.Problem{Field: name, Code: domain.CodeRequired})
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			fields = append(fields, fielderr.Problem{Field: name, Code: domain.CodeNotDate})
		}
		return t
	}
	from, to := parse("from"), parse("to")
	if len(fields) == 0 && to.Before(from) {
		fields = append(fields, fielderr.Problem{Field: "to", Code: domain.CodeDateOrder})
	}
	if len(fields) > 0 {
		httpx.Respond(c, httpx.Invalid(fields...))
		return time.Time{}, time.Time{}, false
	}
	return from, to, true
}

// countWorkingDays answers how many working days a range has.
func (a *API) countWorkingDays(c *gin.Context) {
	from, to, ok := a.queryPeriod(c)
	if !ok {
		return
	}
	years := []int{}
	for y := from.Year(); y <= to.Year() && len(years) < 3; y++ {
		years = append(years, y)
	}
	if to.Year()-from.Year() > 2 {
		respond(c, fielderr.Fail("to", domain.CodeOutOfRange, from.Format(time.DateOnly), from.AddDate(2, 0, 0).Format(time.DateOnly)))
		return
	}
	cals, err := a.store.CountingCalendars(c.Request.Context(), years...)
	if err != nil {
		respond(c, err)
		return
	}
	n, err := cals.CountWorkingDays(from, to)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"from": Date{from}, "to": Date{to}, "working_days": n, "provisional_calendar": cals.Provisional(from, to)})
}

func (a *API) getBalance(c *gin.Context) {
	m, ok := a.memberFor(c, "id")
	if !ok {
		return
	}
	y, ok := a.yearParam(c, "year", true)
	if !ok {
		return
	}
	v, err := a.store.Balance(c.Request.Context(), m.ID, y)
	if err != nil {
		respond(c, err)
		return
	}
	lines := make([]ledgerLineJSON, 0, len(v.Lines))
	for _, l := range v.Lines {
		lines = append(lines, ledgerLineJSON{ID: l.Entry.ID, Kind: string(l.Entry.Kind), Days: l.Entry.Days, EffectiveOn: Date{l.Entry.EffectiveOn},
			Reason: reasonText(httpx.Lang(c), l.Entry.Reason), RequestID: l.Entry.RequestID, Running: l.Running, Projected: l.Entry.Projected})
	}
	c.JSON(http.StatusOK, gin.H{"balance": toBalance(v.Balance), "lines": lines})
}

// reasonText localizes reasons the system wrote (catalogue keys) and keeps
// the ones people typed.
func reasonText(lang i18n.Lang, r string) string {
	if i18n.Has(r) {
		return i18n.T(lang, r)
	}
	return r
}

func steps(lang i18n.Lang, ss []domain.Step) []Step {
	out := make([]Step, len(ss))
	for i, s := range ss {
		out[i] = Step{Code: s.Code, Text: i18n.T(lang, s.Code, localArgs(s.Args)...)}
	}
	return out
}

func (a *API) getEntitlement(c *gin.Context) {
	m, ok := a.memberFor(c, "id")
	if !ok {
		return
	}
	y, ok := a.yearParam(c, "year", true)
	if !ok {
		return
	}
	e, err := a.store.Entitlement(c.Request.Context(), m.ID, y)
	if err != nil {
		respond(c, err)
		return
	}
	accruals := make([]gin.H, len(e.Accruals))
	for i, ac := range e.Accruals {
		accruals[i] = gin.H{"on": Date{ac.On}, "days": ac.Days}
	}
	c.JSON(http.StatusOK, gin.H{"member_id": m.ID, "year": y, "days": e.Days, "accruals": accruals, "steps": steps(httpx.Lang(c), e.Steps)})
}

func (a *API) getInjuryLeaves(c *gin.Context) {
	m, ok := a.memberFor(c, "id")
	if !ok {
		return
	}
	pr, ok := pageOf(c)
	if !ok {
		return
	}
	ls, next, err := a.store.InjuryLeaves(c.Request.Context(), m.ID, pr)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]gin.H, len(ls))
	for i, l := range ls {
		out[i] = gin.H{"case_id": l.CaseID, "from": Date{l.From}, "to": Date{l.To}, "extension_months": l.ExtensionMonths}
	}
	itemsPage(c, out, next)
}

type adjustmentInput struct {
	Year   int    `json:"year"`
	Days   int    `json:"days"`
	Reason string `json:"reason"`
}

func (a *API) postAdjustment(c *gin.Context) {
	m, ok := a.staffMemberFor(c, "id")
	if !ok {
		return
	}
	var in adjustmentInput
	if !bind(c, &in) {
		return
	}
	b, err := a.store.Adjust(c.Request.Context(), store.AdjustmentInput{MemberID: m.ID, Year: in.Year, Days: in.Days, Reason: in.Reason}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"balance": toBalance(b)})
}

type absencesInput struct {
	PersonalDays int `json:"personal_days"`
	SickDays     int `json:"sick_days"`
}

func (a *API) putAbsences(c *gin.Context) {
	m, ok := a.staffMemberFor(c, "id")
	if !ok {
		return
	}
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	var in absencesInput
	if !bind(c, &in) {
		return
	}
	b, err := a.store.SetAbsences(c.Request.Context(), m.ID, y, domain.Absences{PersonalDays: in.PersonalDays, SickDays: in.SickDays}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"balance": toBalance(b)})
}

type flagsInput struct {
	MartyrFamily  bool `json:"martyr_family"`
	InjuredOnDuty bool `json:"injured_on_duty"`
}

func (a *API) putPriorityFlags(c *gin.Context) {
	m, ok := a.staffMemberFor(c, "id")
	if !ok {
		return
	}
	v, ok := version(c)
	if !ok {
		return
	}
	var in flagsInput
	if !bind(c, &in) {
		return
	}
	r, err := a.store.SetPriorityFlags(c.Request.Context(), m.ID, v, store.PriorityFlags(in), auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, r.Version)
	c.JSON(http.StatusOK, gin.H{"member_id": r.ID, "martyr_family": r.MartyrFamily, "injured_on_duty": r.InjuredOnDuty, "version": r.Version})
}

type carryOverInput struct {
	Days   int    `json:"days"`
	Reason string `json:"reason"`
}

func (a *API) putCarryOver(c *gin.Context) {
	m, ok := a.staffMemberFor(c, "id")
	if !ok {
		return
	}
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	v, ok := optionalVersion(c)
	if !ok {
		return
	}
	var in carryOverInput
	if !bind(c, &in) {
		return
	}
	d, nv, err := a.store.DecideCarryOver(c.Request.Context(), domain.CarryOverDecision{MemberID: m.ID, Year: y, Days: in.Days, Reason: in.Reason, DecidedBy: auth.Current(c).UserID}, v)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, nv)
	c.JSON(http.StatusOK, gin.H{"member_id": d.MemberID, "year": d.Year, "days": d.Days, "reason": d.Reason, "decided_by": d.DecidedBy, "decided_at": d.DecidedAt, "version": nv})
}

func (a *API) getUnitBalances(c *gin.Context) {
	unit := c.Param("unit")
	if !isStaffOf(auth.Current(c), unit) {
		respond(c, notFound())
		return
	}
	y, ok := a.yearParam(c, "year", true)
	if !ok {
		return
	}
	pr, ok := pageOf(c)
	if !ok {
		return
	}
	bs, next, err := a.store.UnitBalances(c.Request.Context(), unit, y, pr)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]balanceJSON, len(bs))
	for i, b := range bs {
		out[i] = toBalance(b)
	}
	itemsPage(c, out, next)
}

type periodInput struct {
	From   Date   `json:"from"`
	To     Date   `json:"to"`
	Reason string `json:"reason"`
}

// self is the caller's own member id; a staff account without one cannot
// request leave for itself.
func self(c *gin.Context) (string, bool) {
	id := auth.Current(c)
	if ownMember(id) == "" {
		respond(c, forbidden())
		return "", false
	}
	return ownMember(id), true
}

func (a *API) postQuote(c *gin.Context) {
	member, ok := self(c)
	if !ok {
		return
	}
	var in periodInput
	if !bind(c, &in) {
		return
	}
	ai := domain.ApplyInput{From: in.From.Time, To: in.To.Time, Reason: in.Reason}
	if err := ai.Validate(clock.Today(a.clk)); err != nil {
		respond(c, err)
		return
	}
	q, err := a.store.Quote(c.Request.Context(), member, in.From.Time, in.To.Time)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"from": in.From, "to": in.To, "days": q.Days, "available": q.Available, "balance_after": q.BalanceAfter, "second_level": q.SecondLevel,
		"provisional_calendar": q.Provisional, "projected_balance": q.ProjectedBalance})
}

func (a *API) postRequest(c *gin.Context) {
	member, ok := self(c)
	if !ok {
		return
	}
	var in periodInput
	if !bind(c, &in) {
		return
	}
	r, err := a.cmds.Apply(c.Request.Context(), member, domain.ApplyInput{From: in.From.Time, To: in.To.Time, Reason: in.Reason}, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	httpx.SetETag(c, r.Version)
	c.Header("Location", c.Request.URL.Path+"/"+r.ID)
	c.JSON(http.StatusCreated, a.requestOut(c, r))
}

// listRequests: an officer sees their own requests; staff see their units'.
func (a *API) listRequests(c *gin.Context) {
	id := auth.Current(c)
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		httpx.Respond(c, err)
		return
	}
	f := store.RequestFilter{Page: pr}
	withBalances, err := httpx.QueryBool(c, "balances", false)
	if err != nil {
		respond(c, err)
		return
	}
	// status may repeat (status=pending&status=pending_second): a request
	// in any of them.
	for _, s := range c.QueryArray("status") {
		st := domain.RequestStatus(s)
		if !st.Active() && st != domain.StatusRejected && st != domain.StatusCancelled {
			httpx.Respond(c, httpx.Invalid(fielderr.Problem{Field: "status", Code: domain.CodeInvalidChoice}))
			return
		}
		f.Statuses = append(f.Statuses, st)
	}
	if s := c.Query("year"); s != "" {
		y, ok := a.yearParam(c, "year", true)
		if !ok {
			return
		}
		f.Year = y
	}
	switch {
	case id.Has(auth.RoleCaseworker, auth.RoleUnitHead, auth.RoleApprover):
		f.Units = unitsScope(id)
		f.MemberID = c.Query("member_id")
	case ownMember(id) != "":
		f.MemberID = ownMember(id)
	default:
		c.JSON(http.StatusOK, gin.H{"items": []requestJSON{}, "next": ""})
		return
	}
	rs, next, err := a.store.Requests(c.Request.Context(), f)
	if err != nil {
		respond(c, err)
		return
	}
	out := make([]requestJSON, len(rs))
	for i, r := range rs {
		out[i] = a.requestOut(c, r)
	}
	if withBalances {
		// ?balances=true: each request with its member's balance for the
		// year it starts in, every member's computed at once per year.
		byYear := map[int][]string{}
		for _, r := range rs {
			byYear[r.From.Year()] = append(byYear[r.From.Year()], r.MemberID)
		}
		got := map[int]map[string]domain.Balance{}
		for y, members := range byYear {
			bs, err := a.store.BalancesOf(c.Request.Context(), slices.Compact(slices.Sorted(slices.Values(members))), y)
			if err != nil {
				respond(c, err)
				return
			}
			got[y] = bs
		}
		for i, r := range rs {
			if b, ok := got[r.From.Year()][r.MemberID]; ok {
				bj := toBalance(b)
				out[i].Balance = &bj
			}
		}
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next": next})
}

// requestFor loads a request the caller may see: its member, or the staff
// of its unit; anybody else gets 404.
func (a *API) requestFor(c *gin.Context) (domain.LeaveRequest, bool) {
	r, err := a.store.Request(c.Request.Context(), c.Param("id"))
	if err != nil {
		respond(c, err)
		return domain.LeaveRequest{}, false
	}
	if !canSeeMember(auth.Current(c), r.MemberID, r.UnitID) {
		respond(c, notFound())
		return domain.LeaveRequest{}, false
	}
	return r, true
}

func (a *API) getRequest(c *gin.Context) {
	r, ok := a.requestFor(c)
	if !ok {
		return
	}
	httpx.SetETag(c, r.Version)
	c.JSON(http.StatusOK, a.requestOut(c, r))
}

// callerOf is the caller as the domain's rules see them: roles count only
// in the unit of the request, stay or health check.
func callerOf(id auth.Identity, unitID string) domain.Caller {
	in := id.InUnit(unitID)
	return domain.Caller{UserID: id.UserID, MemberID: ownMember(id),
		UnitHead: in && id.Has(auth.RoleUnitHead), Approver: in && id.Has(auth.RoleApprover),
		Caseworker: in && id.Has(auth.RoleCaseworker), Medical: in && id.Has(auth.RoleMedicalCaseworker), Name: id.Name}
}

// requestOut is the request as the caller sees it, with the steps they
// may take on it today.
func (a *API) requestOut(c *gin.Context, r domain.LeaveRequest) requestJSON {
	return toRequest(r, callerOf(auth.Current(c), r.UnitID), clock.Today(a.clk))
}

type commentInput struct {
	Comment string `json:"comment"`
}

// decide approves, rejects or cancels (domain.LeaveRequest.Decide: the
// first level is the unit head's, the second an approver's, both of the
// request's unit; only the member cancels their own request). A caller who
// may not is told so before their input is read.
func (a *API) decide(action string) gin.HandlerFunc {
	return func(c *gin.Context) {
		r, ok := a.requestFor(c)
		if !ok {
			return
		}
		caller := callerOf(auth.Current(c), r.UnitID)
		if err := r.Refusal(action, caller); err != nil {
			respond(c, err)
			return
		}
		v, ok := version(c)
		if !ok {
			return
		}
		var in commentInput
		if c.Request.ContentLength != 0 && !bind(c, &in) {
			return
		}
		out, err := a.cmds.Decide(c.Request.Context(), r.ID, v, domain.RequestDecision{Action: action, By: caller, Comment: in.Comment})
		if err != nil {
			respond(c, err)
			return
		}
		httpx.SetETag(c, out.Version)
		c.JSON(http.StatusOK, a.requestOut(c, out))
	}
}

func (a *API) postRollover(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	rep, err := a.store.Rollover(c.Request.Context(), y, auth.Current(c).UserID)
	if err != nil {
		respond(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"year": rep.Year, "members": rep.Members, "skipped": rep.Skipped, "carried": rep.Carried,
		"expired": rep.Expired, "accrued": rep.Accrued, "duration_ms": rep.Duration.Milliseconds()})
}

type rolloverStateJSON struct {
	Year    int `json:"year"`
	Members int `json:"members"`
	Closed  int `json:"closed"`
	Open    int `json:"open"`
	Carried int `json:"carried"`
	Expired int `json:"expired"`
	// LastClosedAt is the latest closing in UTC, null when none.
	LastClosedAt *time.Time `json:"last_closed_at"`
	Closable     bool       `json:"closable"`
}

// getRollover is the state of a year's closing for admins and finance:
// how many members are closed, the days carried and expired, and whether
// the year may be closed yet.
func (a *API) getRollover(c *gin.Context) {
	y, ok := a.yearParam(c, "year", false)
	if !ok {
		return
	}
	st, err := a.store.RolloverState(c.Request.Context(), y)
	if err != nil {
		respond(c, err)
		return
	}
	out := rolloverStateJSON{Year: st.Year, Members: st.Members, Closed: st.Closed, Open: st.Open(), Carried: st.Carried,
		Expired: st.Expired, Closable: st.Closable}
	if !st.LastClosedAt.IsZero() {
		t := st.LastClosedAt.UTC()
		out.LastClosedAt = &t
	}
	c.JSON(http.StatusOK, out)
}
