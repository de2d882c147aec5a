package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/plausible"
)

// Member is one officer in the registry: the aggregate that owns the
// member's details, status, honours, dependants and beneficiaries. The
// registry is the system of record; other services keep projections of it.
type Member struct {
	ID       string
	UnitID   string
	Name     string
	Category Category
	Post     Post
	Identity Identity
	Phone    string
	// HireDate is when the member joined their current employer.
	HireDate time.Time
	// ServiceStart is when cumulative service began, prior employers
	// included; annual leave bands count from it (职工带薪年休假条例 art. 3).
	ServiceStart time.Time

	Status     Status
	StatusDate time.Time  // zero while active and never changed
	DeathCause DeathCause // set only when deceased

	Honours       []Honour
	Dependants    []Dependant
	Beneficiaries []Beneficiary

	// Version counts the committed changes; every change bumps it by one.
	Version int64
}

// Honour is one honour with the date it was awarded.
type Honour struct {
	Kind      HonourKind
	AwardedOn time.Time
}

// MemberInput is the editable part of a member: what a form or a roster row
// carries. Status, honours, dependants and beneficiaries change through
// their own methods because each has its own rules.
type MemberInput struct {
	UnitID       string
	Name         string
	Category     Category
	Post         Post
	IDNumber     string
	Phone        string
	HireDate     time.Time
	ServiceStart time.Time // zero means "same as the hire date"
}

// minWorkingAge is the youngest a member may be hired (劳动法 art. 15 forbids
// hiring under 16).
const minWorkingAge = 16

const maxNameRunes = 50

var (
	mobilePattern   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlinePattern = regexp.MustCompile(`^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$`)
)

// normalisedInput is a validated MemberInput with its derived identity.
type normalisedInput struct {
	in       MemberInput
	identity Identity
}

// validateMemberInput checks every field and returns every problem at once.
func validateMemberInput(in MemberInput, today time.Time) (normalisedInput, error) {
	var p fielderr.List
	in.Name = strings.TrimSpace(in.Name)
	in.Phone = strings.TrimSpace(in.Phone)
	in.UnitID = strings.TrimSpace(in.UnitID)
	if in.UnitID == "" {
		p.Add("unit_id", "enrollment.required")
	}
	validateName("name", in.Name, &p)
	if !in.Category.Valid() {
		p.Add("category", "enrollment.category_unknown", string(in.Category))
	} else {
		validatePost(in.Category, in.Post, &p)
	}
	id, idOK := parseIdentity("id_number", in.IDNumber, today, &p)
	if in.Phone != "" && !mobilePattern.MatchString(in.Phone) && !landlinePattern.MatchString(in.Phone) {
		p.Add("phone", "enrollment.phone_format")
	}
	if in.HireDate.IsZero() {
		p.Add("hire_date", "enrollment.required")
	} else {
		in.HireDate = dateOf(in.HireDate)
		if in.HireDate.After(today) {
			p.Add("hire_date", "enrollment.date_in_future")
		} else if r := plausible.Past(today); r.Early(in.HireDate) {
			p.Add("hire_date", plausible.Code, r.Args()...)
		} else if idOK && in.HireDate.Before(id.Birth.AddDate(minWorkingAge, 0, 0)) {
			p.Add("hire_date", "enrollment.before_working_age", minWorkingAge)
		}
	}
	if in.ServiceStart.IsZero() {
		in.ServiceStart = in.HireDate
	} else {
		in.ServiceStart = dateOf(in.ServiceStart)
		switch {
		case !in.HireDate.IsZero() && in.ServiceStart.After(in.HireDate):
			p.Add("service_start", "enrollment.service_start_after_hire")
		case plausible.Past(today).Early(in.ServiceStart):
			p.Add("service_start", plausible.Code, plausible.Past(today).Args()...)
		case idOK && in.ServiceStart.Before(id.Birth.AddDate(minWorkingAge, 0, 0)):
			p.Add("service_start", "enrollment.before_working_age", minWorkingAge)
		}
	}
	if err := p.Err(); err != nil {
		return normalisedInput{}, err
	}
	in.IDNumber = id.Number
	return normalisedInput{in: in, identity: id}, nil
}

func validateName(field, name string, p *fielderr.List) {
	switch {
	case name == "":
		p.Add(field, "enrollment.required")
	case utf8.RuneCountInString(name) > maxNameRunes:
		p.Add(field, "enrollment.too_long", maxNameRunes)
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' || r == 0x7f }):
		p.Add(field, "enrollment.control_characters")
	}
}

// NewMember registers a member. today is the date in Asia/Shanghai
// (clock.Today); an identity number with a birth date after it is refused.
func NewMember(id string, in MemberInput, today time.Time) (*Member, error) {
	n, err := validateMemberInput(in, today)
	if err != nil {
		return nil, err
	}
	m := &Member{ID: id, Status: StatusActive, Version: 1}
	m.apply(n)
	return m, nil
}

func (m *Member) apply(n normalisedInput) {
	m.UnitID = n.in.UnitID
	m.Name = n.in.Name
	m.Category = n.in.Category
	m.Post = n.in.Post
	m.Identity = n.identity
	m.Phone = n.in.Phone
	m.HireDate = n.in.HireDate
	m.ServiceStart = n.in.ServiceStart
}

// Input returns the member's editable details in the form Edit takes, so a
// caller can change one field and keep the others.
func (m *Member) Input() MemberInput {
	return MemberInput{
		UnitID: m.UnitID, Name: m.Name, Category: m.Category, Post: m.Post,
		IDNumber: m.Identity.Number, Phone: m.Phone,
		HireDate: m.HireDate, ServiceStart: m.ServiceStart,
	}
}

// Edit replaces the member's details with in. It reports whether anything
// changed, so a re-imported roster row with the same data is not a new
// version. A deceased member's record is closed.
func (m *Member) Edit(in MemberInput, today time.Time) (changed bool, err error) {
	n, err := validateMemberInput(in, today)
	if err != nil {
		return false, err
	}
	if m.Status == StatusDeceased {
		return false, ErrMemberDeceased
	}
	if n.in == m.Input() {
		return false, nil
	}
	m.apply(n)
	return true, nil
}

// ChangeStatus moves the member to retired, left or back to active (a
// rehire) on the given date. Deaths go through RecordDeath.
func (m *Member) ChangeStatus(to Status, on, today time.Time) error {
	if m.Status == StatusDeceased {
		return ErrMemberDeceased
	}
	var p fielderr.List
	on = dateOf(on)
	switch to {
	case StatusRetired, StatusLeft:
		if m.Status != StatusActive {
			return fmt.Errorf("change status of %s to %s: %w", m.ID, to, ErrMemberNotActive)
		}
	case StatusActive:
		if m.Status == StatusActive {
			return nil
		}
	case StatusDeceased:
		p.Add("status", "enrollment.status.use_death")
		return p.Err()
	default:
		p.Add("status", "enrollment.status_unknown", string(to))
		return p.Err()
	}
	m.validateStatusDate(on, today, &p)
	if err := p.Err(); err != nil {
		return err
	}
	m.Status, m.StatusDate = to, on
	return nil
}

// RecordDeath marks the member deceased on the given date with a cause. A
// death on duty (line of duty, martyr) needs a member who was active; an
// illness may follow retirement. The caller ends the member's enrollments
// with EndForMember so the day of death is still covered.
func (m *Member) RecordDeath(on time.Time, cause DeathCause, today time.Time) error {
	if m.Status == StatusDeceased {
		return ErrMemberDeceased
	}
	var p fielderr.List
	on = dateOf(on)
	if !cause.Valid() {
		p.Add("cause", "enrollment.death_cause_unknown", string(cause))
	} else if cause.OnDuty() && m.Status != StatusActive {
		p.Add("cause", "enrollment.death_on_duty_needs_active")
	}
	m.validateStatusDate(on, today, &p)
	if err := p.Err(); err != nil {
		return err
	}
	m.Status, m.StatusDate, m.DeathCause = StatusDeceased, on, cause
	return nil
}

func (m *Member) validateStatusDate(on, today time.Time, p *fielderr.List) {
	switch {
	case on.IsZero():
		p.Add("date", "enrollment.required")
	case on.After(today):
		p.Add("date", "enrollment.date_in_future")
	case plausible.Past(today).Early(on):
		p.Add("date", plausible.Code, plausible.Past(today).Args()...)
	case on.Before(m.HireDate):
		p.Add("date", "enrollment.status_date_before_hire")
	case !m.StatusDate.IsZero() && on.Before(m.StatusDate):
		p.Add("date", "enrollment.status_date_before_previous")
	}
}

// AddHonour records an honour. The same honour on the same day twice is a
// typing mistake and refused.
func (m *Member) AddHonour(kind HonourKind, on, today time.Time) error {
	var p fielderr.List
	on = dateOf(on)
	if !kind.Valid() {
		p.Add("kind", "enrollment.honour_unknown", string(kind))
	}
	switch {
	case on.IsZero():
		p.Add("awarded_on", "enrollment.required")
	case on.After(today):
		p.Add("awarded_on", "enrollment.date_in_future")
	case plausible.Past(today).Early(on):
		p.Add("awarded_on", plausible.Code, plausible.Past(today).Args()...)
	case on.Before(m.Identity.Birth):
		p.Add("awarded_on", "enrollment.date_before_birth")
	}
	h := Honour{Kind: kind, AwardedOn: on}
	if slices.Contains(m.Honours, h) {
		p.Add("kind", "enrollment.honour_duplicate")
	}
	if err := p.Err(); err != nil {
		return err
	}
	m.Honours = append(m.Honours, h)
	slices.SortFunc(m.Honours, func(a, b Honour) int { return a.AwardedOn.Compare(b.AwardedOn) })
	return nil
}

// HighestHonour returns the member's highest honour; only the highest
// raises the police 抚恤金 (人民警察抚恤优待办法 art. 16).
func (m *Member) HighestHonour() (HonourKind, bool) {
	var best HonourKind
	for _, h := range m.Honours {
		if h.Kind.Higher(best) {
			best = h.Kind
		}
	}
	return best, best != ""
}

// dateOf drops the time of day of a date typed or parsed in any zone.
func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, mo, d := t.Date()
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}
