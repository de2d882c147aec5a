package domain_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/services/gateway/internal/domain"
)

var now = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

// codes returns "field:code" of every problem in err, or nil.
func codes(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *fielderr.Invalid
	if !errors.As(err, &ve) {
		t.Fatalf("error %v is not a *fielderr.Invalid", err)
	}
	if !errors.Is(err, domain.ErrValidation) {
		t.Fatalf("error %v does not unwrap to ErrValidation", err)
	}
	out := make([]string, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		out = append(out, p.Field+":"+p.Code)
	}
	return out
}

func TestNewUser(t *testing.T) {
	t.Parallel()
	officer := domain.UserInput{Username: " ZhangSan ", DisplayName: " 张三 ", MemberID: "m-1", Roles: []domain.Role{domain.RoleOfficer}}
	tests := []struct {
		name string
		edit func(*domain.UserInput)
		want []string
	}{
		{name: "officer with member", edit: func(*domain.UserInput) {}},
		{name: "caseworker with units", edit: func(in *domain.UserInput) {
			in.Roles, in.MemberID, in.Units = []domain.Role{domain.RoleCaseworker}, "", []string{"u-1"}
		}},
		{name: "county-wide finance needs neither", edit: func(in *domain.UserInput) {
			in.Roles, in.MemberID = []domain.Role{domain.RoleFinance}, ""
		}},
		{name: "empty username", edit: func(in *domain.UserInput) { in.Username = "  " },
			want: []string{"username:" + domain.CodeUsernameRequired}},
		{name: "short username", edit: func(in *domain.UserInput) { in.Username = "ab" },
			want: []string{"username:" + domain.CodeUsernameLength}},
		{name: "long username", edit: func(in *domain.UserInput) { in.Username = string(make([]byte, 65)) },
			want: []string{"username:" + domain.CodeUsernameLength}},
		{name: "chinese username", edit: func(in *domain.UserInput) { in.Username = "张三丰" },
			want: []string{"username:" + domain.CodeUsernameChars}},
		{name: "username with space", edit: func(in *domain.UserInput) { in.Username = "zhang san" },
			want: []string{"username:" + domain.CodeUsernameChars}},
		{name: "missing name", edit: func(in *domain.UserInput) { in.DisplayName = "" },
			want: []string{"display_name:" + domain.CodeNameRequired}},
		{name: "long name", edit: func(in *domain.UserInput) { in.DisplayName = string(make([]rune, 51)) },
			want: []string{"display_name:" + domain.CodeNameLength}},
		{name: "no roles", edit: func(in *domain.UserInput) { in.Roles = nil },
			want: []string{"roles:" + domain.CodeRolesRequired}},
		{name: "unknown role", edit: func(in *domain.UserInput) { in.Roles = []domain.Role{"chief"} },
			want: []string{"roles:" + domain.CodeRoleUnknown}},
		{name: "service role refused", edit: func(in *domain.UserInput) { in.Roles = []domain.Role{domain.RoleService} },
			want: []string{"roles:" + domain.CodeRoleNotForPeople}},
		{name: "officer and family", edit: func(in *domain.UserInput) {
			in.Roles = []domain.Role{domain.RoleOfficer, domain.RoleFamily}
		}, want: []string{"roles:" + domain.CodeRolesConflict}},
		{name: "officer without member", edit: func(in *domain.UserInput) { in.MemberID = "" },
			want: []string{"member_id:" + domain.CodeMemberRequired}},
		{name: "family without member", edit: func(in *domain.UserInput) {
			in.Roles, in.MemberID = []domain.Role{domain.RoleFamily}, ""
		}, want: []string{"member_id:" + domain.CodeMemberRequired}},
		{name: "unit head without units", edit: func(in *domain.UserInput) {
			in.Roles = []domain.Role{domain.RoleUnitHead}
		}, want: []string{"units:" + domain.CodeUnitsRequired}},
		{name: "bad member id", edit: func(in *domain.UserInput) { in.MemberID = "m 1;" },
			want: []string{"member_id:" + domain.CodeMemberInvalid}},
		{name: "bad unit id", edit: func(in *domain.UserInput) {
			in.Roles, in.Units = []domain.Role{domain.RoleCaseworker}, []string{"u/1"}
		}, want: []string{"units:" + domain.CodeUnitInvalid}},
		{name: "unknown language", edit: func(in *domain.UserInput) { in.Lang = "fr" },
			want: []string{"lang:" + domain.CodeLangUnknown}},
		{name: "every problem at once", edit: func(in *domain.UserInput) {
			*in = domain.UserInput{Lang: "de"}
		}, want: []string{
			"username:" + domain.CodeUsernameRequired, "display_name:" + domain.CodeNameRequired,
			"lang:" + domain.CodeLangUnknown, "roles:" + domain.CodeRolesRequired,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := officer
			in.Roles = slices.Clone(officer.Roles)
			tc.edit(&in)
			u, err := domain.NewUser("id-1", in, now)
			if got := codes(t, err); !slices.Equal(got, tc.want) {
				t.Fatalf("problems = %v, want %v", got, tc.want)
			}
			if err == nil && (u.Version != 1 || !u.Active() || u.CreatedAt != now) {
				t.Fatalf("new user = %+v", u)
			}
		})
	}
}

func TestNewUserNormalizes(t *testing.T) {
	t.Parallel()
	u, err := domain.NewUser("id", domain.UserInput{
		Username: " Li.Si@GA ", DisplayName: " 李四 ",
		Roles: []domain.Role{domain.RoleUnitHead, domain.RoleCaseworker, domain.RoleCaseworker},
		Units: []string{"u2", " u1 ", "u2", ""},
	}, now)
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "li.si@ga" || u.DisplayName != "李四" || u.Lang != domain.LangZH {
		t.Errorf("user = %+v", u)
	}
	if want := []domain.Role{domain.RoleCaseworker, domain.RoleUnitHead}; !slices.Equal(u.Roles, want) {
		t.Errorf("roles = %v, want %v", u.Roles, want)
	}
	if want := []string{"u1", "u2"}; !slices.Equal(u.Units, want) {
		t.Errorf("units = %v, want %v", u.Units, want)
	}
}

func TestUserLifecycle(t *testing.T) {
	t.Parallel()
	later := now.Add(time.Hour)
	tests := []struct {
		name    string
		act     func(*domain.User) error
		wantErr error
		check   func(*testing.T, *domain.User)
	}{
		{name: "disable", act: func(u *domain.User) error { return u.Disable("admin", later) },
			check: func(t *testing.T, u *domain.User) {
				if u.Active() || u.DisabledAt != later || u.Version != 2 {
					t.Errorf("user = %+v", u)
				}
			}},
		{name: "disable twice", act: func(u *domain.User) error {
			_ = u.Disable("admin", later)
			return u.Disable("admin", later)
		}, wantErr: domain.ErrAlreadyDisabled},
		{name: "disable self", act: func(u *domain.User) error { return u.Disable(u.ID, later) }, wantErr: domain.ErrDisableSelf},
		{name: "enable active", act: func(u *domain.User) error { return u.Enable(later) }, wantErr: domain.ErrNotDisabled},
		{name: "disable then enable", act: func(u *domain.User) error {
			_ = u.Disable("admin", later)
			return u.Enable(later)
		}, check: func(t *testing.T, u *domain.User) {
			if !u.Active() || u.Version != 3 {
				t.Errorf("user = %+v", u)
			}
		}},
		{name: "set english", act: func(u *domain.User) error { return u.SetLang(domain.LangEN, later) },
			check: func(t *testing.T, u *domain.User) {
				if u.Lang != domain.LangEN || u.UpdatedAt != later {
					t.Errorf("user = %+v", u)
				}
			}},
		{name: "set unknown language", act: func(u *domain.User) error { return u.SetLang("xx", later) }, wantErr: domain.ErrValidation},
		{name: "update keeps username", act: func(u *domain.User) error {
			return u.Update(domain.UserInput{Username: "other", DisplayName: "王五", Roles: []domain.Role{domain.RoleAuditor}}, later)
		}, check: func(t *testing.T, u *domain.User) {
			if u.Username != "zhangsan" || u.DisplayName != "王五" || !u.Has(domain.RoleAuditor) || u.Has(domain.RoleOfficer) {
				t.Errorf("user = %+v", u)
			}
		}},
		{name: "invalid update changes nothing", act: func(u *domain.User) error {
			return u.Update(domain.UserInput{DisplayName: "王五", Roles: []domain.Role{domain.RoleOfficer}}, later)
		}, wantErr: domain.ErrValidation, check: func(t *testing.T, u *domain.User) {
			if u.DisplayName != "张三" || u.Version != 1 {
				t.Errorf("user changed: %+v", u)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, err := domain.NewUser("u-1", domain.UserInput{Username: "zhangsan", DisplayName: "张三", MemberID: "m-1", Roles: []domain.Role{domain.RoleOfficer}}, now)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.act(u); !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			} else if err != nil && !errors.Is(tc.wantErr, domain.ErrValidation) && domain.Code(err) == "" {
				t.Errorf("error %v has no catalogue code", err)
			}
			if tc.check != nil {
				tc.check(t, u)
			}
		})
	}
}

func TestHomePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		roles []domain.Role
		want  string
	}{
		{name: "officer", roles: []domain.Role{domain.RoleOfficer}, want: "/my"},
		{name: "family", roles: []domain.Role{domain.RoleFamily}, want: "/my"},
		{name: "caseworker who is an officer", roles: []domain.Role{domain.RoleOfficer, domain.RoleCaseworker}, want: "/work/queue"},
		{name: "approver", roles: []domain.Role{domain.RoleApprover}, want: "/approvals"},
		{name: "unit head", roles: []domain.Role{domain.RoleUnitHead}, want: "/approvals"},
		{name: "finance", roles: []domain.Role{domain.RoleFinance}, want: "/finance"},
		{name: "auditor", roles: []domain.Role{domain.RoleAuditor}, want: "/audit"},
		{name: "admin", roles: []domain.Role{domain.RoleAdmin, domain.RoleAuditor}, want: "/admin/users"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := domain.HomePath(tc.roles); got != tc.want {
				t.Errorf("HomePath(%v) = %q, want %q", tc.roles, got, tc.want)
			}
		})
	}
}

func TestLinkExternal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		issuer, subject string
		wantErr         error
	}{
		{name: "link", issuer: "https://id.example", subject: "sub-1"},
		{name: "unlink", issuer: "", subject: ""},
		{name: "subject without issuer", subject: "sub-1", wantErr: domain.ErrValidation},
		{name: "issuer without subject", issuer: "https://id.example", wantErr: domain.ErrValidation},
		{name: "overlong", issuer: "https://id.example", subject: string(make([]byte, 256)), wantErr: domain.ErrValidation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			u, _ := domain.NewUser("u-1", domain.UserInput{Username: "zhangsan", DisplayName: "张三", Roles: []domain.Role{domain.RoleFinance}}, now)
			err := u.LinkExternal(tc.issuer, tc.subject, now)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("LinkExternal = %v, want %v", err, tc.wantErr)
			}
			if err == nil && (u.OIDCIssuer != tc.issuer || u.OIDCSubject != tc.subject || u.Version != 2) {
				t.Errorf("user %+v", u)
			}
			if err != nil && u.Version != 1 {
				t.Error("a refused link changed the user")
			}
		})
	}
}
