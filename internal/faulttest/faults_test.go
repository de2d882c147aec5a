package faulttest

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

const (
	casesPath   = "/api/v1/injury/cases"
	membersPath = "/api/v1/enrollment/members"
)

func caseKey(i int) string   { return fmt.Sprintf("case-%03d", i) }
func memberKey(i int) string { return fmt.Sprintf("member-%03d", i) }

// settleAll retries every key until it has its final answer and returns
// the ids of the objects created, failing on two keys naming one object.
func (h *harness) settleAll(svc, path string, w world, n int, key func(int) string, body func(int) map[string]any) (unrecorded int) {
	h.t.Helper()
	ids := map[string]string{}
	for i := range n {
		o := h.settle(svc, path, w.caseworker, key(i), body(i), 60*time.Second)
		if o.status != http.StatusCreated {
			unrecorded++
			continue
		}
		id, _ := o.body["id"].(string)
		if other, dup := ids[id]; dup || id == "" {
			h.t.Fatalf("keys %s and %s answered with the same object %q", other, key(i), id)
		}
		ids[id] = key(i)
	}
	return unrecorded
}

// SIGKILL while clients open cases; after the restart every client retries
// with its key: exactly one case per key, each case.opened published once.
func TestKillDuringCaseOpenings(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.start()
	w := h.setUp()
	const n = 120
	var kill sync.Once
	acked := 0
	burst(n, 4, func(i int) bool {
		o, err := h.post("injury", casesPath, w.caseworker, caseKey(i), w.caseBody(i))
		return err == nil && o.status == http.StatusCreated
	}, func(a int) {
		if a == 30 {
			kill.Do(func() { acked = a; h.kill() })
		}
	})
	if acked == 0 {
		t.Fatal("the process was not killed mid-stream")
	}
	h.start()
	unrecorded := h.settleAll("injury", casesPath, w, n, caseKey, w.caseBody)
	t.Logf("killed after %d acknowledged openings; %d keys answered outcome_unrecorded after the restart", acked, unrecorded)
	h.checkOnce(w, n, 0)
}

// NATS stops and comes back while clients register members and open cases:
// the writes are acknowledged from PostgreSQL alone, and once NATS is back
// every event reaches the stream once and every consumer once.
func TestNATSRestartMidWrite(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.start()
	w := h.setUp()
	const members, cases = 60, 60
	var once sync.Once
	burst(members, 4, func(i int) bool {
		o, err := h.post("enrollment", membersPath, w.caseworker, memberKey(i), w.memberBody(i))
		return err == nil && o.status == http.StatusCreated
	}, func(a int) {
		if a == 20 {
			once.Do(func() { h.nats.Stop() })
		}
		if a == 40 {
			h.nats.Restart()
		}
	})
	h.settleAll("enrollment", membersPath, w, members, memberKey, w.memberBody)
	var again sync.Once
	burst(cases, 4, func(i int) bool {
		o, err := h.post("injury", casesPath, w.caseworker, caseKey(i), w.caseBody(i))
		return err == nil && o.status == http.StatusCreated
	}, func(a int) {
		if a == 15 {
			again.Do(func() { h.nats.Restart() })
		}
	})
	h.settleAll("injury", casesPath, w, cases, caseKey, w.caseBody)
	h.checkOnce(w, cases, members)
}

// PostgreSQL backends are terminated (pg_terminate_backend) under load:
// requests caught in it fail or are retried, and the clients' retries with
// their keys leave exactly one object and one event per key.
func TestPostgresBackendsTerminatedMidLoad(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.start()
	w := h.setUp()
	const members, cases = 60, 60
	terminated := 0
	var mu sync.Mutex
	terminate := func(a int) {
		if a%15 != 0 {
			return
		}
		n := h.count(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`)
		mu.Lock()
		terminated += n
		mu.Unlock()
	}
	burst(members, 4, func(i int) bool {
		o, err := h.post("enrollment", membersPath, w.caseworker, memberKey(i), w.memberBody(i))
		return err == nil && o.status == http.StatusCreated
	}, terminate)
	burst(cases, 4, func(i int) bool {
		o, err := h.post("injury", casesPath, w.caseworker, caseKey(i), w.caseBody(i))
		return err == nil && o.status == http.StatusCreated
	}, terminate)
	h.settleAll("enrollment", membersPath, w, members, memberKey, w.memberBody)
	h.settleAll("injury", casesPath, w, cases, caseKey, w.caseBody)
	if terminated == 0 {
		t.Fatal("no backend was terminated")
	}
	t.Logf("terminated %d backends under load", terminated)
	h.checkOnce(w, cases, members)
}
