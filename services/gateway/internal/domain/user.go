package domain

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// Languages a user may choose for pages, messages and exports. Chinese is
// the default; English is second (ARCHITECTURE.md).
const (
	LangZH = "zh-CN"
	LangEN = "en"
)

// Limits of user fields. Usernames are short and typed on phones; unit and
// member ids are the enrollment service's ids (UUIDs today, so 64 is ample).
const (
	UsernameMinLen = 3
	UsernameMaxLen = 64
	NameMaxLen     = 50
	RefMaxLen      = 64
)

// User is a person who signs in. Its roles say what they may do, its units
// which units' work they may see, and MemberID which member of the registry
// they are (or, for family, whose family they are).
type User struct {
	ID          string
	Username    string // normalized: trimmed, lower-case
	DisplayName string
	MemberID    string // empty for staff who are not a member
	Roles       []Role
	Units       []string
	// PasswordHash is an argon2id encoding; empty for an account that signs
	// in only through OIDC.
	PasswordHash string
	// OIDCIssuer and OIDCSubject link the account to a provincial identity
	// provider's subject; both empty when none.
	OIDCIssuer  string
	OIDCSubject string
	Lang        string
	DisabledAt  time.Time // zero while active
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// UserInput is what an administrator fills in to create or change a user.
type UserInput struct {
	Username    string
	DisplayName string
	MemberID    string
	Roles       []Role
	Units       []string
	Lang        string
}

// NormalizeUsername trims and lower-cases a username, so "ZhangSan " and
// "zhangsan" are one account and sign-in is not case-sensitive.
func NormalizeUsername(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// NewUser validates in and returns a new active user with version 1. The
// password is set separately (SetPassword) because OIDC-only users have none.
func NewUser(id string, in UserInput, now time.Time) (*User, error) {
	in = normalizeInput(in)
	var ps fielderr.List
	validateUsername(&ps, in.Username)
	validateProfile(&ps, in)
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return &User{
		ID:          id,
		Username:    in.Username,
		DisplayName: in.DisplayName,
		MemberID:    in.MemberID,
		Roles:       in.Roles,
		Units:       in.Units,
		Lang:        in.Lang,
		Version:     1,
		CreatedAt:   now,
		UpdatedAt:   now,
	}, nil
}

// Update changes the profile, roles and units of u; the username is fixed
// once created because audit rows and other people refer to it.
func (u *User) Update(in UserInput, now time.Time) error {
	in.Username = u.Username
	in = normalizeInput(in)
	var ps fielderr.List
	validateProfile(&ps, in)
	if err := ps.Err(); err != nil {
		return err
	}
	u.DisplayName, u.MemberID, u.Roles, u.Units, u.Lang = in.DisplayName, in.MemberID, in.Roles, in.Units, in.Lang
	u.touch(now)
	return nil
}

// SetLang changes the user's language; it is the one setting a user changes
// for themselves, through the language switch.
func (u *User) SetLang(lang string, now time.Time) error {
	if lang != LangZH && lang != LangEN {
		return fielderr.Fail("lang", CodeLangUnknown)
	}
	u.Lang = lang
	u.touch(now)
	return nil
}

// SetPassword stores an already-hashed password (see PasswordPolicy.Hash).
func (u *User) SetPassword(hash string, now time.Time) {
	u.PasswordHash = hash
	u.touch(now)
}

// LinkExternal links the account to a subject of an identity provider
// (OIDC single sign-on), or unlinks it when both are empty. The link is
// what lets a provincial sign-in open this account; nobody gets an account
// by signing in.
func (u *User) LinkExternal(issuer, subject string, now time.Time) error {
	issuer, subject = strings.TrimSpace(issuer), strings.TrimSpace(subject)
	if (issuer == "") != (subject == "") || len(issuer) > 255 || len(subject) > 255 || !utf8.ValidString(subject) {
		return fielderr.Fail("oidc_subject", CodeOIDCInvalid)
	}
	u.OIDCIssuer, u.OIDCSubject = issuer, subject
	u.touch(now)
	return nil
}

// Active reports whether the user may sign in.
func (u *User) Active() bool { return u.DisabledAt.IsZero() }

// Has reports whether the user holds any of roles.
func (u *User) Has(roles ...Role) bool { return HasRole(u.Roles, roles...) }

// Disable stops the user from signing in. actorID is the administrator doing
// it: nobody disables themselves, so the last administrator cannot lock the
// county out by accident. Ending the user's sessions is the store's part of
// the same transaction.
func (u *User) Disable(actorID string, now time.Time) error {
	switch {
	case actorID == u.ID:
		return ErrDisableSelf
	case !u.Active():
		return ErrAlreadyDisabled
	}
	u.DisabledAt = now
	u.touch(now)
	return nil
}

// Enable lets a disabled user sign in again.
func (u *User) Enable(now time.Time) error {
	if u.Active() {
		return ErrNotDisabled
	}
	u.DisabledAt = time.Time{}
	u.touch(now)
	return nil
}

func (u *User) touch(now time.Time) {
	u.UpdatedAt = now
	u.Version++
}

// normalizeInput trims text, lower-cases the username, sorts and
// de-duplicates roles and units, and defaults the language to Chinese.
func normalizeInput(in UserInput) UserInput {
	in.Username = NormalizeUsername(in.Username)
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	in.MemberID = strings.TrimSpace(in.MemberID)
	if in.Lang == "" {
		in.Lang = LangZH
	}
	roles := slices.Clone(in.Roles)
	slices.Sort(roles)
	in.Roles = slices.Compact(roles)
	units := make([]string, 0, len(in.Units))
	for _, u := range in.Units {
		if u = strings.TrimSpace(u); u != "" {
			units = append(units, u)
		}
	}
	slices.Sort(units)
	in.Units = slices.Compact(units)
	return in
}

func validateUsername(ps *fielderr.List, name string) {
	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		ps.Add("username", CodeUsernameRequired)
	case n < UsernameMinLen || n > UsernameMaxLen:
		ps.Add("username", CodeUsernameLength, UsernameMinLen, UsernameMaxLen)
	case !usernameChars(name):
		ps.Add("username", CodeUsernameChars)
	}
}

// usernameChars allows ASCII letters, digits and . _ - @ only: usernames are
// typed on phones and appear in logs and audit rows, where look-alike
// Unicode letters would let one account pass for another. Names in Chinese
// belong in DisplayName.
func usernameChars(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == '@':
		default:
			return false
		}
	}
	return true
}

func validateProfile(ps *fielderr.List, in UserInput) {
	switch n := utf8.RuneCountInString(in.DisplayName); {
	case n == 0:
		ps.Add("display_name", CodeNameRequired)
	case n > NameMaxLen:
		ps.Add("display_name", CodeNameLength, NameMaxLen)
	}
	if in.Lang != LangZH && in.Lang != LangEN {
		ps.Add("lang", CodeLangUnknown)
	}
	if len(in.MemberID) > RefMaxLen || !refChars(in.MemberID) {
		ps.Add("member_id", CodeMemberInvalid)
	}
	for _, u := range in.Units {
		if len(u) > RefMaxLen || !refChars(u) {
			ps.Add("units", CodeUnitInvalid, u)
			break
		}
	}
	validateRoles(ps, in)
}

// validateRoles checks the roles and what they require. An officer who is
// also family of another officer is two accounts, because one account has one
// member link and "their own cases" must be unambiguous.
func validateRoles(ps *fielderr.List, in UserInput) {
	if len(in.Roles) == 0 {
		ps.Add("roles", CodeRolesRequired)
		return
	}
	for _, r := range in.Roles {
		switch {
		case r == RoleService:
			ps.Add("roles", CodeRoleNotForPeople, string(r))
			return
		case !r.Known():
			ps.Add("roles", CodeRoleUnknown, string(r))
			return
		}
	}
	if HasRole(in.Roles, RoleOfficer) && HasRole(in.Roles, RoleFamily) {
		ps.Add("roles", CodeRolesConflict)
	}
	needMember, needUnits := false, false
	for _, r := range in.Roles {
		needMember = needMember || r.needsMember()
		needUnits = needUnits || r.needsUnits()
	}
	if needMember && in.MemberID == "" {
		ps.Add("member_id", CodeMemberRequired)
	}
	if needUnits && len(in.Units) == 0 {
		ps.Add("units", CodeUnitsRequired)
	}
}

// refChars accepts the characters of another service's ids (UUIDs, codes).
func refChars(s string) bool {
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.', r == ':':
		default:
			return false
		}
	}
	return true
}
