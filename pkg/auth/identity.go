package auth

import (
	"context"
	"slices"
	"time"

	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// Identity is who is calling, as the gateway vouches for it in the token.
// The zero Identity is nobody: it has no roles and is in no unit.
type Identity struct {
	// UserID is the gateway's user account id (or "service:<name>").
	UserID string
	// MemberID is the member registry id of the person, when they are a
	// member (officers and family); "" for staff without one.
	MemberID string
	// Name is the person's display name, for audit rows and pages.
	Name string
	// Roles the person holds.
	Roles []Role
	// Units are the ids of the units (单位) the person works for or
	// oversees; caseworkers and unit heads see only their units' cases.
	Units []string
	// Lang is the person's language setting.
	Lang i18n.Lang
	// Audience is the service the token is for ("grants", "leave"…): the
	// gateway mints one per service, and a service refuses a token for
	// another, so a token that leaks from one service's logs or memory
	// opens no other.
	Audience string
	// IssuedAt and ExpiresAt bound the token the identity came from.
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// Has reports whether the identity holds at least one of roles. No role
// implies another: an admin is not an approver unless granted both.
func (id Identity) Has(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(id.Roles, r) {
			return true
		}
	}
	return false
}

// InUnit reports whether unitID is one of the identity's units.
func (id Identity) InUnit(unitID string) bool {
	return unitID != "" && slices.Contains(id.Units, unitID)
}

// IsZero reports whether id is nobody (no authenticated caller).
func (id Identity) IsZero() bool { return id.UserID == "" }

// ServiceIdentity is the identity a service uses to call another service on
// its own behalf (a consumer asking for data), not on a person's.
func ServiceIdentity(service string) Identity {
	return Identity{UserID: "service:" + service, Name: service, Roles: []Role{RoleService}}
}

type ctxKey struct{}

// WithIdentity returns ctx carrying id, for code below the HTTP layer
// (stores writing audit rows, outgoing calls) that needs to know the caller.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// FromContext returns the identity in ctx and whether there was one.
func FromContext(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}
