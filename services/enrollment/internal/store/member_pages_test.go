package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/commands"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/store"
)

// TestMemberListsPageByKey pages through a member's enrollments (twelve
// years) and versions (thirty changes) in small pages while other changes
// of the member are committed: each row comes exactly once, oldest first,
// and a version committed during the walk is on a later page, since it
// sorts after every version already shown. A foreign cursor is refused
// naming the field; the version current at an instant is read directly.
func TestMemberListsPageByKey(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	m := f.member(t, f.gaj.ID, 31)
	for y := 2015; y <= 2026; y++ {
		if _, err := commands.New(f.st).Enroll(ctx, m.ID, f.plan(t, y).ID, date(y, 1, 1), all, meta); err != nil {
			t.Fatal(err)
		}
	}
	var es []domain.Enrollment
	pages := 0
	for after := ""; ; pages++ {
		got, next, err := f.st.MemberEnrollments(ctx, m.ID, all, page.Request{Limit: 5, After: after})
		if err != nil {
			t.Fatal(err)
		}
		es = append(es, got...)
		if next == "" {
			break
		}
		after = next
	}
	if len(es) != 12 || pages != 2 {
		t.Fatalf("12 enrollments came in %d rows over %d pages", len(es), pages+1)
	}
	for i, e := range es {
		if e.PlanYear != 2015+i {
			t.Errorf("enrollment %d is of %d, want %d (oldest first, each once)", i, e.PlanYear, 2015+i)
		}
	}

	change := func(i int) {
		cur, err := f.st.GetMember(ctx, m.ID, all)
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := commands.New(f.st).UpdateMember(ctx, m.ID, all, cur.Version, meta, func(m *domain.Member, _ time.Time) (store.MemberChange, error) {
			m.Name = fmt.Sprintf("民警甲%d", i)
			return domain.ChangeUpdated, nil
		}); err != nil {
			t.Error(err)
		}
	}
	for i := range 29 {
		change(i)
	}
	var vs []domain.MemberVersion
	const more = 10
	for after := ""; ; {
		got, next, err := f.st.History(ctx, m.ID, all, page.Request{Limit: 7, After: after})
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, got...)
		if after == "" {
			// Changes committed while the walk goes on come after every
			// version shown so far.
			for i := range more {
				change(100 + i)
			}
		}
		if next == "" {
			break
		}
		after = next
	}
	if len(vs) != 30+more {
		t.Fatalf("%d versions over the pages, want %d", len(vs), 30+more)
	}
	for i, v := range vs {
		if v.Version != int64(i+1) {
			t.Fatalf("version %d at place %d: each once, oldest first", v.Version, i)
		}
	}
	if vs[0].Change != domain.ChangeRegistered || vs[len(vs)-1].Member.Name != fmt.Sprintf("民警甲%d", 100+more-1) {
		t.Errorf("first %s, last %s", vs[0].Change, vs[len(vs)-1].Member.Name)
	}

	at, err := f.st.VersionAt(ctx, m.ID, all, now.Add(time.Second))
	if err != nil || at.Version != int64(30+more) {
		t.Errorf("version at now: %d %v", at.Version, err)
	}
	if _, err := f.st.VersionAt(ctx, m.ID, all, date(2000, 1, 1)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a version before registration: %v", err)
	}
	if _, _, err := f.st.MemberEnrollments(ctx, m.ID, all, page.Request{Limit: 5, After: page.Cursor("2026-01-01", "x")}); err == nil {
		t.Error("a foreign enrollment cursor was accepted")
	}
	if _, _, err := f.st.History(ctx, m.ID, all, page.Request{Limit: 5, After: page.Cursor("a", "b")}); err == nil {
		t.Error("a foreign version cursor was accepted")
	}
	other := f.member(t, f.court.ID, 32)
	if _, _, err := f.st.History(ctx, other.ID, store.Scope{Units: []string{f.gaj.ID}}, page.Request{Limit: 5}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("another unit's member's history: %v", err)
	}
}
