package store_test

import (
	"context"
	"testing"
	"time"
)

// TestMembersReadsManyAsMemberReadsOne: for members with a work-injury
// grading (the latest counts, a non-work-injury one does not), without
// one, not projected at all, and a grading of a member not projected,
// Members gives what Member gives one by one.
func TestMembersReadsManyAsMemberReadsOne(t *testing.T) {
	t.Parallel()
	st, _ := newStore(t)
	ctx := context.Background()
	if _, err := st.DB.Exec(`
INSERT INTO members (member_id, unit_id, category, deceased, died_on, death_cause, name, dependants)
VALUES ('m-1', 'u-1', 'police', false, NULL, '', '张三', '[{"id":"d-1","name":"张小三","relation":"child"}]'),
       ('m-2', 'u-2', 'auxiliary', true, '2026-01-05', 'on_duty', '李四', '[]');
INSERT INTO gradings (case_id, member_id, grade, graded_on, work_injury, received_at)
VALUES ('c-1', 'm-1', 7, '2025-05-01', true, '2025-05-02'), ('c-2', 'm-1', 5, '2026-02-01', true, '2026-02-02'),
       ('c-3', 'm-1', 2, '2026-03-01', false, '2026-03-02'), ('c-4', 'm-9', 9, '2026-01-01', true, '2026-01-02');`); err != nil {
		t.Fatal(err)
	}
	ids := []string{"m-1", "m-2", "m-3", "m-9"}
	ms, gs, err := st.Members(ctx, nil, ids)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		m, g, err := st.Member(ctx, nil, id)
		if err != nil {
			t.Fatal(err)
		}
		if (m == nil) != (ms[id] == nil) || (m != nil && (m.Name != ms[id].Name || m.UnitID != ms[id].UnitID || len(m.Dependants) != len(ms[id].Dependants) ||
			m.Deceased != ms[id].Deceased || !m.DiedOn.Equal(ms[id].DiedOn))) {
			t.Errorf("%s: Member %+v, Members %+v", id, m, ms[id])
		}
		if (g == nil) != (gs[id] == nil) || (g != nil && *g != *gs[id]) {
			t.Errorf("%s: grading %+v, Members %+v", id, g, gs[id])
		}
	}
	if g := gs["m-1"]; g == nil || g.CaseID != "c-2" || g.Grade != 5 || !g.GradedOn.Equal(time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("m-1's latest work-injury grading: %+v, want c-2 grade 5", g)
	}
	if ms["m-2"] == nil || !ms["m-2"].Deceased || ms["m-3"] != nil || ms["m-9"] != nil || gs["m-9"] == nil || gs["m-2"] != nil {
		t.Errorf("members %v, gradings %v", ms, gs)
	}
}
