package domain

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// UnitKind is the kind of organ a unit is.
type UnitKind string

// Unit kinds of a county's political-legal organs.
const (
	UnitCommittee     UnitKind = "committee"      // 县委政法委
	UnitCourt         UnitKind = "court"          // 人民法院
	UnitProcuratorate UnitKind = "procuratorate"  // 人民检察院
	UnitPoliceBureau  UnitKind = "police_bureau"  // 公安局
	UnitPoliceStation UnitKind = "police_station" // 派出所 and other sub-units of the bureau
	UnitJusticeBureau UnitKind = "justice_bureau" // 司法局
	UnitOther         UnitKind = "other"          // e.g. a 司法所 or a tribunal
)

// Valid reports whether k is a known unit kind.
func (k UnitKind) Valid() bool {
	switch k {
	case UnitCommittee, UnitCourt, UnitProcuratorate, UnitPoliceBureau,
		UnitPoliceStation, UnitJusticeBureau, UnitOther:
		return true
	}
	return false
}

// Unit is one organ in the county's tree. Caseworkers are scoped to units
// and see the members of their units and of every unit below them, so a
// police-bureau caseworker also manages the stations.
type Unit struct {
	ID       string
	Code     string // short, stable, used in roster files
	ParentID string // "" for the root
	Name     string
	Kind     UnitKind
	Version  int64
}

// UnitInput is what an admin types to create or rename a unit.
type UnitInput struct {
	Code     string
	ParentID string
	Name     string
	Kind     UnitKind
}

var unitCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// NewUnit validates in and returns the unit with the given id.
func NewUnit(id string, in UnitInput) (Unit, error) {
	var p fielderr.List
	code := strings.TrimSpace(in.Code)
	if !unitCodePattern.MatchString(code) {
		p.Add("code", "enrollment.unit.code_format")
	}
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		p.Add("name", "enrollment.required")
	case utf8.RuneCountInString(name) > 100:
		p.Add("name", "enrollment.too_long", 100)
	}
	if !in.Kind.Valid() {
		p.Add("kind", "enrollment.unit.kind_unknown", string(in.Kind))
	}
	if in.ParentID != "" && in.ParentID == id {
		p.Add("parent_id", "enrollment.unit_cycle")
	}
	if err := p.Err(); err != nil {
		return Unit{}, err
	}
	return Unit{ID: id, Code: code, ParentID: in.ParentID, Name: name, Kind: in.Kind, Version: 1}, nil
}

// UnitTree answers scope questions over the county's units.
type UnitTree struct {
	units  map[string]Unit
	byCode map[string]string
}

// NewUnitTree builds the tree and refuses unknown parents and cycles.
func NewUnitTree(units []Unit) (*UnitTree, error) {
	t := &UnitTree{units: make(map[string]Unit, len(units)), byCode: make(map[string]string, len(units))}
	for _, u := range units {
		t.units[u.ID] = u
		t.byCode[u.Code] = u.ID
	}
	for _, u := range units {
		if u.ParentID != "" {
			if _, ok := t.units[u.ParentID]; !ok {
				return nil, fmt.Errorf("unit %s parent %s: %w", u.ID, u.ParentID, ErrUnknownUnit)
			}
		}
		seen := map[string]bool{}
		for id := u.ID; id != ""; id = t.units[id].ParentID {
			if seen[id] {
				return nil, fmt.Errorf("unit %s: %w", u.ID, ErrUnitCycle)
			}
			seen[id] = true
		}
	}
	return t, nil
}

// Unit returns the unit with the given id.
func (t *UnitTree) Unit(id string) (Unit, bool) {
	u, ok := t.units[id]
	return u, ok
}

// ByCode returns the unit with the given roster code.
func (t *UnitTree) ByCode(code string) (Unit, bool) {
	id, ok := t.byCode[strings.TrimSpace(code)]
	if !ok {
		return Unit{}, false
	}
	return t.units[id], true
}

// Within reports whether unit id is one of scope or below one of them.
func (t *UnitTree) Within(id string, scope []string) bool {
	for cur := id; cur != ""; {
		for _, s := range scope {
			if s == cur {
				return true
			}
		}
		u, ok := t.units[cur]
		if !ok {
			return false
		}
		cur = u.ParentID
	}
	return false
}

// CanMove reports whether unit id may get newParent as its parent without
// making a cycle.
func (t *UnitTree) CanMove(id, newParent string) error {
	if newParent == "" {
		return nil
	}
	if _, ok := t.units[newParent]; !ok {
		return ErrUnknownUnit
	}
	if t.Within(newParent, []string{id}) {
		return ErrUnitCycle
	}
	return nil
}

// Path returns the ids from the root down to id, used to store the
// ancestry so scope queries are one array overlap in SQL.
func (t *UnitTree) Path(id string) []string {
	var rev []string
	for cur := id; cur != ""; cur = t.units[cur].ParentID {
		if _, ok := t.units[cur]; !ok {
			break
		}
		rev = append(rev, cur)
	}
	out := make([]string, len(rev))
	for i, v := range rev {
		out[len(rev)-1-i] = v
	}
	return out
}

// Update is unit before as in now describes it (NewUnit), placed in tree:
// a new parent must be a unit of the tree, and neither the unit itself nor
// one below it (a problem of parent_id: enrollment.unit_unknown or
// enrollment.unit_cycle). The version is the store's to count.
func (t *UnitTree) Update(before Unit, in UnitInput) (Unit, error) {
	u, err := NewUnit(before.ID, in)
	if err != nil {
		return Unit{}, err
	}
	u.Version = before.Version
	if err := t.CanMove(u.ID, u.ParentID); err != nil {
		code := "enrollment.unit_unknown"
		if errors.Is(err, ErrUnitCycle) {
			code = "enrollment.unit_cycle"
		}
		return Unit{}, fielderr.Fail("parent_id", code)
	}
	return u, nil
}
