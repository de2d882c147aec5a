package grants_test

import (
	"reflect"
	"testing"
)

// TestApplicationListWithLastSteps: ?steps=N gives each application of the
// page the last N steps of its history, as its own page shows them, and
// none without it; a steps out of range is a 422 naming the field.
func TestApplicationListWithLastSteps(t *testing.T) {
	h := start(t)
	_, progID := h.setupFund(50000000)
	path := h.reviewedHardship(progID)
	type step struct {
		Step      string `json:"step"`
		Actor     string `json:"actor"`
		ActorName string `json:"actor_name"`
		Reason    string `json:"reason"`
	}
	type app struct {
		ID      string `json:"id"`
		History []step `json:"history"`
	}
	whole := decode[app](t, h.do(&officer, "GET", path, nil, 0))
	if len(whole.History) < 2 {
		t.Fatalf("a reviewed application with %d steps", len(whole.History))
	}
	list := decode[struct {
		Items []app `json:"items"`
	}](t, h.do(&officer, "GET", "/applications?scope=mine&steps=1", nil, 0))
	if len(list.Items) != 1 || !reflect.DeepEqual(list.Items[0].History, whole.History[len(whole.History)-1:]) {
		t.Errorf("the list's last step %+v, the history ends %+v", list.Items, whole.History[len(whole.History)-1:])
	}
	plain := decode[struct {
		Items []app `json:"items"`
	}](t, h.do(&officer, "GET", "/applications?scope=mine", nil, 0))
	if len(plain.Items) != 1 || len(plain.Items[0].History) != 0 {
		t.Errorf("a list not asked for steps carries %+v", plain.Items)
	}
	wantField(t, h.do(&officer, "GET", "/applications?steps=11", nil, 0), "steps", "field.range")
}
