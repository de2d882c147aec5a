package cluster

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// ledger is what the gateways acknowledged (answered 2xx), by kind, and
// what failed. Only acknowledged writes must be present exactly once;
// failed ones may or may not have landed.
type ledger struct {
	mu       sync.Mutex
	cases    []string       // opened case ids
	leaves   []string       // approved leave request ids
	leaveReq []string       // leave requests acknowledged (approved or not)
	grants   []string       // approved application ids
	failed   map[string]int // no answer or a 5xx: the outcome is unknown
	refused  map[string]int // a 4xx: the service said no, nothing changed
	lastErr  map[string]string
	progress chan struct{}
}

func newLedger() *ledger {
	return &ledger{failed: map[string]int{}, refused: map[string]int{}, lastErr: map[string]string{}, progress: make(chan struct{}, 1)}
}

func (l *ledger) ack(list *[]string, id string) {
	l.mu.Lock()
	*list = append(*list, id)
	l.mu.Unlock()
	select {
	case l.progress <- struct{}{}:
	default:
	}
}

func (l *ledger) fail(kind string, status int, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if status >= 400 && status < 500 {
		l.refused[kind]++
		l.lastErr[kind+" (refused)"] = err.Error()
		return
	}
	l.failed[kind]++
	l.lastErr[kind] = err.Error()
}

// failures counts the writes whose outcome is unknown.
func (l *ledger) failures() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, v := range l.failed {
		n += v
	}
	return n
}

// acked counts every acknowledged write.
func (l *ledger) acked() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.cases) + len(l.leaveReq) + len(l.leaves) + len(l.grants)
}

func (l *ledger) snapshot() (cases, leaveReq, leaves, grants []string, failed map[string]int, lastErr map[string]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f := map[string]int{}
	for k, v := range l.failed {
		f[k] = v
	}
	for k, v := range l.refused {
		f[k+" (refused, 4xx)"] = v
	}
	e := map[string]string{}
	for k, v := range l.lastErr {
		e[k] = v
	}
	return append([]string(nil), l.cases...), append([]string(nil), l.leaveReq...), append([]string(nil), l.leaves...),
		append([]string(nil), l.grants...), f, e
}

// workload drives the three flows through both gateways until ctx ends.
type workload struct {
	officer, caseworker, unithead, approver, admin *account
	members                                        []member
	hardship                                       string
	led                                            *ledger
}

type member struct {
	ID     string `json:"id"`
	UnitID string `json:"unit_id"`
}

// pause spaces one worker's requests so three workers leave the two
// cores to the cluster.
const pause = 40 * time.Millisecond

func (w *workload) run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, f := range []func(context.Context){w.openCases, w.requestLeave, w.approveGrants} {
		wg.Add(1)
		go func() { defer wg.Done(); f(ctx) }()
	}
	wg.Wait()
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

func (w *workload) openCases(ctx context.Context) {
	for i := 0; sleep(ctx, pause); i++ {
		m := w.members[i%len(w.members)]
		var c struct {
			ID string `json:"id"`
		}
		st, err := w.caseworker.call(ctx, http.MethodPost, "/api/v1/injury/cases", map[string]any{
			"member_id": m.ID, "unit_id": m.UnitID, "injured_at": "2026-12-01T09:00", "place": "城关派出所",
			"description": fmt.Sprintf("集群测试 %d", i), "severity": "minor",
		}, 0, &c)
		if err != nil {
			if ctx.Err() == nil {
				w.led.fail("case open", st, err)
			}
			continue
		}
		w.led.ack(&w.led.cases, c.ID)
	}
}

// lastLeaveYear is the last year the test gives a calendar and days.
const lastLeaveYear = 2028

// requestLeave asks for one working day of 2027 or 2028 at a time (the
// test gave those years a calendar and the officer the days) and has the
// unit head approve it.
func (w *workload) requestLeave(ctx context.Context) {
	first := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	day := first
	for sleep(ctx, pause) {
		if day.Year() > lastLeaveYear {
			day = first // taken already: refused, and counted so
		}
		for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			day = day.AddDate(0, 0, 1)
		}
		d := day.Format(time.DateOnly)
		day = day.AddDate(0, 0, 1)
		var r struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		if st, err := w.officer.call(ctx, http.MethodPost, "/api/v1/leave/requests", map[string]any{"from": d, "to": d, "reason": "集群测试"}, 0, &r); err != nil {
			if ctx.Err() == nil {
				w.led.fail("leave request", st, err)
			}
			continue
		}
		w.led.ack(&w.led.leaveReq, r.ID)
		if st, err := w.unithead.call(ctx, http.MethodPost, "/api/v1/leave/requests/"+r.ID+"/approve", map[string]any{"comment": "同意"}, r.Version, nil); err != nil {
			if ctx.Err() == nil {
				w.led.fail("leave approval", st, err)
			}
			continue
		}
		w.led.ack(&w.led.leaves, r.ID)
	}
}

// approveGrants files a hardship application and takes it through
// submit, review and approval.
func (w *workload) approveGrants(ctx context.Context) {
	for sleep(ctx, pause) {
		var a struct {
			ID      string `json:"id"`
			Version int64  `json:"version"`
		}
		if st, err := w.officer.call(ctx, http.MethodPost, "/api/v1/grants/applications", map[string]any{
			"program_id": w.hardship, "requested_amount": 100000, "documents": []string{"家庭收入证明", "困难情况说明"},
			"form": map[string]any{"category": "police", "income_per_capita": 150000},
		}, 0, &a); err != nil {
			if ctx.Err() == nil {
				w.led.fail("grant apply", st, err)
			}
			continue
		}
		ok := true
		for _, st := range []struct {
			who  *account
			step string
		}{{w.officer, "submit"}, {w.caseworker, "review"}, {w.approver, "approve"}} {
			if code, err := st.who.call(ctx, http.MethodPost, "/api/v1/grants/applications/"+a.ID+"/"+st.step, nil, a.Version, &a); err != nil {
				if ctx.Err() == nil {
					w.led.fail("grant "+st.step, code, err)
				}
				ok = false
				break
			}
		}
		if ok {
			w.led.ack(&w.led.grants, a.ID)
		}
	}
}
