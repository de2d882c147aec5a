package domain_test

import (
	"testing"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// TestUnitTreeUpdate: a unit is renamed, recoded or moved under any unit
// of the tree but itself and those below it; an unknown parent and bad
// input are problems of their fields, and a refused update returns no
// unit.
func TestUnitTreeUpdate(t *testing.T) {
	t.Parallel()
	root := domain.Unit{ID: "u-root", Code: "ZFW", Name: "县委政法委", Kind: domain.UnitCommittee, Version: 1}
	bureau := domain.Unit{ID: "u-gaj", Code: "GAJ", Name: "县公安局", Kind: domain.UnitPoliceBureau, ParentID: "u-root", Version: 4}
	station := domain.Unit{ID: "u-pcs", Code: "PCS1", Name: "城关派出所", Kind: domain.UnitPoliceStation, ParentID: "u-gaj", Version: 1}
	court := domain.Unit{ID: "u-fy", Code: "FY", Name: "县人民法院", Kind: domain.UnitCourt, ParentID: "u-root", Version: 1}
	tree, err := domain.NewUnitTree([]domain.Unit{root, bureau, station, court})
	if err != nil {
		t.Fatal(err)
	}
	in := func(u domain.Unit, parent string) domain.UnitInput {
		return domain.UnitInput{Code: u.Code, Name: u.Name, Kind: u.Kind, ParentID: parent}
	}
	renamed := in(bureau, "u-root")
	renamed.Name = "县公安局（新）"
	badCode := in(bureau, "u-root")
	badCode.Code = "有 空格"
	for _, tc := range []struct {
		name       string
		before     domain.Unit
		in         domain.UnitInput
		field      string // the problem's field; "" for none
		code       string
		wantParent string
	}{
		{name: "renamed in place", before: bureau, in: renamed, wantParent: "u-root"},
		{name: "station moved under the court", before: station, in: in(station, "u-fy"), wantParent: "u-fy"},
		{name: "made a root", before: court, in: in(court, "")},
		{name: "below itself", before: bureau, in: in(bureau, "u-gaj"), field: "parent_id", code: "enrollment.unit_cycle"},
		{name: "below its own station", before: bureau, in: in(bureau, "u-pcs"), field: "parent_id", code: "enrollment.unit_cycle"},
		{name: "under a unit that does not exist", before: station, in: in(station, "u-none"), field: "parent_id", code: "enrollment.unit_unknown"},
		{name: "bad input before the move", before: bureau, in: badCode, field: "code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := tree.Update(tc.before, tc.in)
			if tc.field != "" {
				ps := fielderr.Of(err)
				if len(ps) == 0 || ps[0].Field != tc.field || (tc.code != "" && ps[0].Code != tc.code) || u.ID != "" {
					t.Fatalf("unit %+v, err %v; want a problem of %s %s", u, err, tc.field, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if u.ID != tc.before.ID || u.ParentID != tc.wantParent || u.Name != tc.in.Name || u.Version != tc.before.Version {
				t.Errorf("unit = %+v", u)
			}
		})
	}
}
