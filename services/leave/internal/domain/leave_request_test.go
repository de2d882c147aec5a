package domain_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
)

var now = time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)

func balance(days, pending int) domain.Balance {
	return domain.Balance{MemberID: "m1", Year: 2026, Days: days, Pending: pending, Available: days - pending}
}

func TestNewRequest(t *testing.T) {
	t.Parallel()
	cs := cals(t)
	p := domain.DefaultPolicy()
	m := civil("2015-01-01")
	existing := []domain.LeaveRequest{
		{ID: "r-approved", MemberID: "m1", From: d("2026-04-13"), To: d("2026-04-17"), Status: domain.StatusApproved},
		{ID: "r-cancelled", MemberID: "m1", From: d("2026-05-11"), To: d("2026-05-15"), Status: domain.StatusCancelled},
	}
	injuries := []domain.InjuryLeave{{CaseID: "c1", MemberID: "m1", From: d("2026-07-01"), To: d("2026-07-31")}}
	tests := []struct {
		name     string
		from, to string
		bal      domain.Balance
		member   domain.Member
		want     error
		days     int
		second   bool
	}{
		{name: "a week", from: "2026-03-02", to: "2026-03-06", bal: balance(10, 0), days: 5},
		{name: "across Labour Day counts 4 days", from: "2026-05-01", to: "2026-05-10", bal: balance(10, 0), days: 4},
		{name: "eight days needs a second level", from: "2026-03-02", to: "2026-03-11", bal: balance(10, 0), days: 8, second: true},
		{name: "over the balance", from: "2026-03-02", to: "2026-03-06", bal: balance(4, 0), want: domain.ErrBalanceExceeded},
		{name: "pending requests hold the balance", from: "2026-03-02", to: "2026-03-06", bal: balance(10, 6), want: domain.ErrBalanceExceeded},
		{name: "overlaps an approved request", from: "2026-04-16", to: "2026-04-20", bal: balance(10, 0), want: domain.ErrOverlap},
		{name: "a cancelled request does not block", from: "2026-05-11", to: "2026-05-12", bal: balance(10, 0), days: 2},
		{name: "overlaps injury leave", from: "2026-07-30", to: "2026-08-03", bal: balance(10, 0), want: domain.ErrOverlapInjury},
		{name: "only holidays", from: "2026-10-01", to: "2026-10-07", bal: balance(10, 0), want: domain.ErrNoWorkingDays},
		{name: "spans two years", from: "2026-12-30", to: "2027-01-04", bal: balance(10, 0), want: domain.ErrSpansYears},
		{name: "member has left", from: "2026-03-02", to: "2026-03-06", bal: balance(10, 0), want: domain.ErrMemberInactive,
			member: aux("2015-01-01", "2015-01-01", "2026-03-03")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mm := m
			if tt.member.ID != "" {
				mm = tt.member
				mm.ID = "m1"
			}
			r, err := domain.NewRequest(p, cs, mm, domain.ApplyInput{From: d(tt.from), To: d(tt.to)}, tt.bal, existing, injuries, "r1", now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err != nil {
				if _, _, ok := domain.CodeOf(err); !ok {
					t.Fatalf("error %v has no code", err)
				}
				return
			}
			if r.Days != tt.days || r.SecondLevel != tt.second || r.Status != domain.StatusPending {
				t.Fatalf("request = %+v, want %d days, second level %v", r, tt.days, tt.second)
			}
		})
	}
}

func TestApplyInputValidate(t *testing.T) {
	t.Parallel()
	today := d("2026-03-01")
	tests := []struct {
		name   string
		in     domain.ApplyInput
		fields []string
	}{
		{"valid", domain.ApplyInput{From: d("2026-03-02"), To: d("2026-03-03")}, nil},
		{"dates in the wrong order", domain.ApplyInput{From: d("2026-03-05"), To: d("2026-03-03")}, []string{"to"}},
		{"missing dates", domain.ApplyInput{}, []string{"from", "to"}},
		{"in the past", domain.ApplyInput{From: d("2026-02-27"), To: d("2026-03-03")}, []string{"from"}},
		{"year 2206", domain.ApplyInput{From: d("2206-03-02"), To: d("2206-03-03")}, []string{"from", "to"}},
		{"ends two years and a day ahead", domain.ApplyInput{From: d("2028-02-28"), To: d("2028-03-02")}, []string{"to"}},
		{"ends two years ahead", domain.ApplyInput{From: d("2028-02-28"), To: d("2028-03-01")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertFields(t, tt.in.Validate(today), tt.fields)
		})
	}
}

func pending(days int, second bool) domain.LeaveRequest {
	return domain.LeaveRequest{ID: "r1", MemberID: "m1", From: d("2026-04-13"), To: d("2026-04-24"), Days: days, Status: domain.StatusPending, SecondLevel: second}
}

func TestApproveRejectCancel(t *testing.T) {
	t.Parallel()
	type step struct {
		op      string // approve, reject, cancel
		actor   string
		today   string
		bal     domain.Balance
		want    error
		final   bool
		restore int
	}
	tests := []struct {
		name   string
		req    domain.LeaveRequest
		steps  []step
		status domain.RequestStatus
	}{
		{"one level", pending(3, false), []step{{op: "approve", actor: "head", bal: balance(10, 3), final: true}}, domain.StatusApproved},
		{"two levels", pending(8, true), []step{
			{op: "approve", actor: "head", bal: balance(10, 8)},
			{op: "approve", actor: "head", bal: balance(10, 8), want: domain.ErrSameApprover},
			{op: "approve", actor: "boss", bal: balance(10, 8), final: true},
		}, domain.StatusApproved},
		{"own request", pending(3, false), []step{{op: "approve", actor: "m1", bal: balance(10, 3), want: domain.ErrSelfApproval}}, domain.StatusPending},
		{"balance lowered since", pending(3, false), []step{{op: "approve", actor: "head", bal: balance(2, 3), want: domain.ErrBalanceExceeded}}, domain.StatusPending},
		{"reject needs a reason", pending(3, false), []step{{op: "reject", actor: "head", want: domain.ErrValidation}}, domain.StatusPending},
		{"rejected at the second level", pending(8, true), []step{
			{op: "approve", actor: "head", bal: balance(10, 8)},
			{op: "reject", actor: "boss"},
			{op: "approve", actor: "boss", bal: balance(10, 0), want: domain.ErrInvalidTransition},
		}, domain.StatusRejected},
		{"cancel approved before it starts gives days back", pending(3, false), []step{
			{op: "approve", actor: "head", bal: balance(10, 3), final: true},
			{op: "cancel", actor: "m1", today: "2026-04-12", restore: 3},
		}, domain.StatusCancelled},
		{"cancel approved once started", pending(3, false), []step{
			{op: "approve", actor: "head", bal: balance(10, 3), final: true},
			{op: "cancel", actor: "m1", today: "2026-04-13", want: domain.ErrAlreadyStarted},
		}, domain.StatusApproved},
		{"cancel pending", pending(3, false), []step{{op: "cancel", actor: "m1", today: "2026-04-20"}}, domain.StatusCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := tt.req
			for i, s := range tt.steps {
				var err error
				switch s.op {
				case "approve":
					var final bool
					final, err = r.Approve(s.actor, "", s.bal, now)
					if err == nil && final != s.final {
						t.Fatalf("step %d: final = %v, want %v", i, final, s.final)
					}
				case "reject":
					comment := "busy season"
					if s.want != nil {
						comment = ""
					}
					err = r.Reject(s.actor, comment, now)
				case "cancel":
					var restore int
					restore, err = r.Cancel(s.actor, "", d(s.today), now)
					if err == nil && restore != s.restore {
						t.Fatalf("step %d: restore = %d, want %d", i, restore, s.restore)
					}
				}
				if !errors.Is(err, s.want) {
					t.Fatalf("step %d (%s): err = %v, want %v", i, s.op, err, s.want)
				}
			}
			if r.Status != tt.status {
				t.Fatalf("status = %s, want %s", r.Status, tt.status)
			}
		})
	}
}

// A comment longer than is stored is refused by its field, whichever the
// decision, and the request is unchanged: a cancel's or an approval's was
// written as it came and failed in the database (a 500).
func TestDecisionCommentIsBounded(t *testing.T) {
	t.Parallel()
	for name, decide := range map[string]func(*domain.LeaveRequest, string) error{
		"approve": func(r *domain.LeaveRequest, c string) error {
			_, err := r.Approve("head", c, balance(10, 3), now)
			return err
		},
		"reject": func(r *domain.LeaveRequest, c string) error { return r.Reject("head", c, now) },
		"cancel": func(r *domain.LeaveRequest, c string) error {
			_, err := r.Cancel("m1", c, d("2026-04-01"), now)
			return err
		},
	} {
		r := pending(3, false)
		err := decide(&r, strings.Repeat("因", domain.MaxReasonLen+1))
		if ps := fielderr.Of(err); !errors.Is(err, domain.ErrValidation) || len(ps) != 1 || ps[0].Field != "comment" {
			t.Errorf("%s with a comment too long: %v", name, err)
		}
		if r.Status != domain.StatusPending || len(r.Decisions) != 0 {
			t.Errorf("%s: the refused decision changed the request: %+v", name, r)
		}
		r = pending(3, false)
		if err := decide(&r, strings.Repeat("因", domain.MaxReasonLen)); err != nil {
			t.Errorf("%s with a comment of the longest stored: %v", name, err)
		}
	}
}

func TestReconcileInjuryLeave(t *testing.T) {
	t.Parallel()
	cs := cals(t)
	// 2–13 March 2026: ten working days, two weeks.
	approved := domain.LeaveRequest{ID: "r1", MemberID: "m1", From: d("2026-03-02"), To: d("2026-03-13"), Days: 10, Status: domain.StatusApproved}
	inj := func(c, from, to string) domain.InjuryLeave {
		return domain.InjuryLeave{CaseID: c, MemberID: "m1", From: d(from), To: d(to)}
	}
	tests := []struct {
		name     string
		status   domain.RequestStatus
		restored int
		injuries []domain.InjuryLeave
		want     int // change; 0 means no result
	}{
		{"second week given back", "", 0, []domain.InjuryLeave{inj("c1", "2026-03-09", "2026-06-30")}, 5},
		{"the same period again gives nothing more", "", 5, []domain.InjuryLeave{inj("c1", "2026-03-09", "2026-06-30")}, 0},
		{"lengthened to the whole request", "", 5, []domain.InjuryLeave{inj("c1", "2026-03-02", "2026-06-30")}, 5},
		{"shortened to end on Wednesday takes two days back", "", 5, []domain.InjuryLeave{inj("c1", "2026-03-09", "2026-03-11")}, -2},
		{"shortened to before the request takes everything back", "", 5, []domain.InjuryLeave{inj("c1", "2026-02-02", "2026-02-27")}, -5},
		{"no injury leave left takes everything back", "", 5, nil, -5},
		{"two cases on different days of one request both count", "", 0,
			[]domain.InjuryLeave{inj("c1", "2026-03-02", "2026-03-03"), inj("c2", "2026-03-12", "2026-04-30")}, 4},
		{"two cases on the same days count once", "", 0,
			[]domain.InjuryLeave{inj("c1", "2026-03-09", "2026-06-30"), inj("c2", "2026-03-09", "2026-03-31")}, 5},
		{"another member's injury leave counts nothing", "", 0,
			[]domain.InjuryLeave{{CaseID: "c9", MemberID: "m2", From: d("2026-03-02"), To: d("2026-03-13")}}, 0},
		{"weekend only", "", 0, []domain.InjuryLeave{inj("c1", "2026-03-07", "2026-03-08")}, 0},
		{"a cancelled request is left alone", domain.StatusCancelled, 3, nil, 0},
		{"a pending request is left alone", domain.StatusPending, 0, []domain.InjuryLeave{inj("c1", "2026-03-02", "2026-03-13")}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := approved
			r.RestoredDays = tt.restored
			if tt.status != "" {
				r.Status = tt.status
			}
			got, err := domain.ReconcileInjuryLeave(cs, tt.injuries, []domain.LeaveRequest{r})
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == 0 {
				if len(got) != 0 {
					t.Fatalf("got %+v, want nothing", got)
				}
				return
			}
			if len(got) != 1 || got[0].Change() != tt.want || got[0].Before != tt.restored || got[0].After != len(got[0].Covered) {
				t.Fatalf("got %+v, want a change of %d", got, tt.want)
			}
		})
	}
	// A request in a year without a calendar cannot be counted.
	far := approved
	far.From, far.To = d("2030-03-04"), d("2030-03-04")
	if _, err := domain.ReconcileInjuryLeave(cs, nil, []domain.LeaveRequest{far}); !errors.Is(err, domain.ErrCalendarMissing) {
		t.Fatalf("missing calendar: %v", err)
	}
}

func TestInjuryGiveBackEntry(t *testing.T) {
	t.Parallel()
	today := d("2027-01-05")
	g := func(before, after int) domain.InjuryGiveBack {
		return domain.InjuryGiveBack{RequestID: "r1", MemberID: "m1", Year: 2026, Before: before, After: after}
	}
	tests := []struct {
		name      string
		g         domain.InjuryGiveBack
		year      int
		negative  bool
		kind      domain.EntryKind
		days      int
		reason    string
		requestID string
		on        string
	}{
		{"given back in the request's year", g(0, 3), 2026, false, domain.KindTakingReversal, 3, domain.ReasonInjuryLeave, "r1", "2026-12-31"},
		{"taken back in the request's year", g(3, 1), 2026, false, domain.KindTaking, -2, domain.ReasonInjuryLeaveShortened, "r1", "2026-12-31"},
		{"taken back into a negative balance", g(3, 0), 2026, true, domain.KindTaking, -3, domain.ReasonInjuryLeaveShortenedNegative, "r1", "2026-12-31"},
		{"given back for a closed year", g(1, 3), 2027, false, domain.KindAdjustment, 2, domain.ReasonInjuryLeaveClosedYear, "", "2027-01-05"},
		{"taken back for a closed year", g(3, 0), 2027, false, domain.KindAdjustment, -3, domain.ReasonInjuryLeaveShortenedClosed, "", "2027-01-05"},
		{"taken back for a closed year, negative", g(3, 0), 2027, true, domain.KindAdjustment, -3, domain.ReasonInjuryLeaveShortenedClosedNegative, "", "2027-01-05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := tt.g.Entry(tt.year, tt.negative, "system:leave", today, now)
			if err := e.Validate(); err != nil {
				t.Fatalf("entry %+v: %v", e, err)
			}
			if e.Kind != tt.kind || e.Days != tt.days || e.Reason != tt.reason || e.RequestID != tt.requestID || e.Year != tt.year || !e.EffectiveOn.Equal(d(tt.on)) {
				t.Fatalf("entry %+v", e)
			}
		})
	}
}

func TestInjuryLeaveValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		l      domain.InjuryLeave
		fields []string
	}{
		{"twelve months", domain.InjuryLeave{CaseID: "c", MemberID: "m", From: d("2026-01-10"), To: d("2027-01-09")}, nil},
		{"a day over twelve months", domain.InjuryLeave{CaseID: "c", MemberID: "m", From: d("2026-01-10"), To: d("2027-01-10")}, []string{"to"}},
		{"extended to 24 months", domain.InjuryLeave{CaseID: "c", MemberID: "m", From: d("2026-01-10"), To: d("2028-01-09"), ExtensionMonths: 12}, nil},
		{"extension beyond 12 months", domain.InjuryLeave{CaseID: "c", MemberID: "m", From: d("2026-01-10"), To: d("2027-01-09"), ExtensionMonths: 13}, []string{"extension_months"}},
		{"wrong order and no ids", domain.InjuryLeave{From: d("2026-02-10"), To: d("2026-01-10")}, []string{"case_id", "member_id", "to"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assertFields(t, tt.l.Validate(), tt.fields)
		})
	}
}
