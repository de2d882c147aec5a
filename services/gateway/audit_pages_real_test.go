package gateway_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	openapi "github.com/anxin-welfare/anxin/internal/specs"
	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/pg"
	"github.com/anxin-welfare/anxin/services/gateway"
)

// deadLetters files letters in the leave service's dead letters, as its
// consumer of the registry's events would after its last retry: the event
// is one it has applied (so a replay has nothing left to do but record
// itself); each letter has an event id of its own, as the table wants. The first n carry subject, the rest more. It answers the
// consumer's name and the ids filed, oldest first.
func deadLetters(t *testing.T, s *realSystem, subjects ...string) (string, []int64) {
	t.Helper()
	ctx := context.Background()
	open := func(schema string) *sqlx.DB {
		db, err := pg.Open(ctx, pg.Config{URL: s.env.Deps.Config.DatabaseURL, Schema: schema, MaxOpenConns: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		return db
	}
	leaveDB, enrollmentDB := open("leave"), open("enrollment")
	var applied struct {
		Consumer string `db:"consumer"`
		EventID  string `db:"event_id"`
	}
	if err := leaveDB.Get(&applied, `SELECT consumer, event_id::text AS event_id FROM inbox ORDER BY received_at LIMIT 1`); err != nil {
		t.Fatalf("an event leave applied: %v", err)
	}
	var envelope []byte
	if err := enrollmentDB.Get(&envelope, `SELECT envelope FROM outbox WHERE id = $1`, applied.EventID); err != nil {
		t.Fatalf("its envelope: %v", err)
	}
	var ids []int64
	for _, subject := range subjects {
		var id int64
		if err := leaveDB.Get(&id, `INSERT INTO dead_letters (consumer, event_id, subject, envelope, error, deliveries)
			VALUES ($1, gen_random_uuid(), $2, $3, 'handler failed', 5) RETURNING id`, applied.Consumer, subject, envelope); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return applied.Consumer, ids
}

// replayedAt says whether the leave service recorded the letter replayed.
func replayed(t *testing.T, s *realSystem, id int64) bool {
	t.Helper()
	return schemaCounts(t, s, "leave", `SELECT (replayed_at IS NOT NULL)::text FROM dead_letters WHERE id = `+strconv.FormatInt(id, 10)) == "true"
}

// TestAuditAndDeadLettersAgainstRealServices walks the administration
// area's trail and dead-letter pages (pages/admin) against the real
// services, where they used to run against fake ones: the gateway's trail
// names its actors and actions and is searched by username, a service's
// trail (enrollment's) names the actions it writes and is searched by day,
// and the leave service's dead letters come a page at a time and are
// replayed in two presses. Auditors read the trail, administrators the
// dead letters, no one else either.
func TestAuditAndDeadLettersAgainstRealServices(t *testing.T) {
	s := startRealSystem(t)
	// Enough users that the gateway's trail of their creation takes more
	// than one page.
	var more []gateway.DemoUser
	for i := range 60 {
		more = append(more, gateway.DemoUser{Username: "clerk" + strconv.Itoa(i), DisplayName: "会计" + strconv.Itoa(i),
			Roles: []auth.Role{auth.RoleFinance}, Password: journeyPassword("clerk")})
	}
	if _, err := gateway.SeedUsers(context.Background(), s.env.Deps, gateway.Config{}, more); err != nil {
		t.Fatal(err)
	}
	// A caseworker reads an officer's full identity number: enrollment
	// audits it as member.view_idcard.
	cw := auth.Identity{UserID: "u-seed-cw", Name: "王芳", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{s.unit}}
	s.call(t, cw, "GET", "/api/v1/enrollment/members/"+s.member+"/id-number", nil, http.StatusOK)
	today := clock.Today(s.env.Clock)

	aud := journeySignIn(t, s.gateway, "auditor")
	t.Run("the gateway's trail", func(t *testing.T) {
		st, own := aud.get("/audit?action=user.create")
		if st != http.StatusOK || !strings.Contains(own, "新建用户") {
			t.Fatalf("gateway trail = %d %s", st, snippet(own))
		}
		if strings.Contains(own, "argon2id") {
			t.Error("the trail shows a password hash")
		}
		// The trail names its actors and finds them by username.
		admin := journeySignIn(t, s.gateway, "admin")
		if st, _, body := admin.post("/admin/users", url.Values{"username": {"made.by.admin"}, "display_name": {"新用户"}, "roles": {"finance"},
			"lang": {"zh-CN"}, "password": {"a long good phrase"}}); st != http.StatusSeeOther {
			t.Fatalf("create a user = %d %s", st, snippet(body))
		}
		st, byName := aud.get("/audit?actor=admin")
		if st != http.StatusOK || !strings.Contains(byName, "吴管理员 (admin)") || strings.Contains(byName, "(auditor)") || !strings.Contains(byName, "made.by.admin") {
			t.Errorf("the trail searched by username = %d %s", st, snippet(byName))
		}
		// Actions named, the object type filtered, every filter kept in
		// the link to older rows.
		st, r := aud.get("/audit?object_type=user&action=user.create")
		if st != http.StatusOK || !strings.Contains(r, `<td class="action">新建用户</td>`) ||
			!strings.Contains(r, `id="object_type" name="object_type" type="text" value="user"`) {
			t.Fatalf("gateway trail by type = %d %s", st, snippet(r))
		}
		if !strings.Contains(r, "object_type=user") || !strings.Contains(r, `id="audit-older"`) {
			t.Error("the link to older entries drops the object type")
		}
		if _, r := aud.get("/audit?object_type=session"); strings.Contains(r, `<td class="action">新建用户</td>`) {
			t.Error("the object type filter is ignored")
		}
	})

	t.Run("a service's trail", func(t *testing.T) {
		day := func(d time.Time) string { return d.Format(time.DateOnly) }
		st, other := aud.get("/audit?service=enrollment&from=" + day(today) + "&to=" + day(today))
		if st != http.StatusOK || !strings.Contains(other, `<td class="action">查看完整身份证号</td>`) {
			t.Fatalf("enrollment trail of today = %d %s", st, snippet(other))
		}
		if _, other := aud.get("/audit?service=enrollment&from=" + day(today.AddDate(0, 0, -3)) + "&to=" + day(today.AddDate(0, 0, -2))); strings.Contains(other, `<td class="action">查看完整身份证号</td>`) {
			t.Error("the trail's days are not searched")
		}
	})

	t.Run("who reads what", func(t *testing.T) {
		if st, _ := aud.get("/admin/dead-letters"); st != http.StatusForbidden {
			t.Errorf("auditor on dead letters = %d", st)
		}
		if st, _ := journeySignIn(t, s.gateway, "caseworker").get("/audit"); st != http.StatusForbidden {
			t.Errorf("caseworker on the trail = %d", st)
		}
	})

	// One letter of another subject, then a page's worth and one more.
	subjects := []string{"welfare.leave.request.decided.v1"}
	for range 51 {
		subjects = append(subjects, "welfare.enrollment.member.registered.v1")
	}
	consumer, ids := deadLetters(t, s, subjects...)
	oldest, newest := ids[0], ids[len(ids)-1]
	adm := journeySignIn(t, s.gateway, "admin")

	t.Run("dead letters come a page at a time", func(t *testing.T) {
		st, dl := adm.get("/admin/dead-letters?service=leave")
		if st != http.StatusOK || !strings.Contains(dl, "welfare.enrollment.member.registered.v1") {
			t.Fatalf("dead letters = %d %s", st, snippet(dl))
		}
		// The next page is a plain link carrying the service's cursor, and
		// it links back to the first.
		next := regexp.MustCompile(`id="dead-letters-next" href="/admin/dead-letters\?after=([^"&]+)&amp;service=leave"`).FindStringSubmatch(dl)
		if next == nil || strings.Contains(dl, "welfare.leave.request.decided.v1") || strings.Contains(dl, `id="dead-letters-first"`) {
			t.Fatalf("first page of dead letters without its next link: %s", snippet(dl))
		}
		after, _ := url.QueryUnescape(next[1])
		st, more := adm.get("/admin/dead-letters?after=" + url.QueryEscape(after) + "&service=leave")
		if st != http.StatusOK || !strings.Contains(more, "welfare.leave.request.decided.v1") || strings.Count(more, "welfare.enrollment.member.registered.v1") != 1 ||
			strings.Contains(more, `id="dead-letters-next"`) || !strings.Contains(more, `id="dead-letters-first" href="/admin/dead-letters?service=leave"`) {
			t.Errorf("second page of dead letters = %d %s", st, snippet(more))
		}
		st, stale := adm.get("/admin/dead-letters?after=old-link&service=leave")
		if st != http.StatusOK || !strings.Contains(stale, `id="dead-letters-stale"`) || !strings.Contains(stale, "welfare.enrollment.member.registered.v1") {
			t.Errorf("a stale cursor = %d %s", st, snippet(stale))
		}
	})

	t.Run("a replay asks first", func(t *testing.T) {
		path := "/admin/dead-letters/leave/" + strconv.FormatInt(newest, 10) + "/replay"
		st, _, r := adm.post(path, url.Values{})
		if st != http.StatusOK || !strings.Contains(r, `id="confirm"`) ||
			!strings.Contains(r, "死信 #"+strconv.FormatInt(newest, 10)+"（"+consumer+"，welfare.enrollment.member.registered.v1）") ||
			!strings.Contains(r, `action="`+path+`"`) {
			t.Fatalf("first press = %d %s", st, snippet(r))
		}
		if replayed(t, s, newest) {
			t.Fatal("the first press replayed")
		}
		st, loc, r := adm.post(path, url.Values{"confirm": {"yes"}})
		if st != http.StatusSeeOther || loc != "/admin/dead-letters?service=leave&m=replayed" || !replayed(t, s, newest) {
			t.Fatalf("second press = %d %s %s", st, loc, snippet(r))
		}
		if replayed(t, s, oldest) {
			t.Error("another letter was replayed")
		}
		if st, _, _ := adm.post("/admin/dead-letters/payroll/7/replay", url.Values{}); st != http.StatusNotFound {
			t.Errorf("replay on an unknown service = %d", st)
		}
	})

	t.Run("every service's trail, its check and dead letters answer as its document says", func(t *testing.T) {
		// pkg/app serves these alike in every service; each document
		// describes them alike, rows and cursor typed. Leave's letters
		// include a replayed one, enrollment's trail the identity read.
		admin := auth.Identity{UserID: "u-admin", Name: "管理员", Roles: []auth.Role{auth.RoleAdmin}}
		for _, svc := range []string{"enrollment", "injury", "grants", "leave"} {
			spec := openapi.MustLoad(t, svc)
			for _, path := range []string{"/api/v1/" + svc + "/admin/audit?limit=3", "/api/v1/" + svc + "/admin/dead-letters?pending=false&limit=100",
				"/api/v1/" + svc + "/admin/audit/verify"} {
				w := s.env.Do(t, s.h[svc], &admin, http.MethodGet, path, nil)
				if w.Code != http.StatusOK {
					t.Errorf("%s = %d %s", path, w.Code, w.Body)
					continue
				}
				if err := spec.ValidateResponse(httptest.NewRequest(http.MethodGet, path, nil), w.Code, w.Result().Header, w.Body.Bytes()); err != nil {
					t.Errorf("%s breaks %s.yaml: %v\n%.600s", path, svc, err, w.Body)
				}
				if (svc == "leave" && strings.Contains(path, "dead-letters")) || (svc == "enrollment" && strings.Contains(path, "audit?")) {
					if !strings.Contains(w.Body.String(), `"items":[{`) {
						t.Errorf("%s has no rows to check: %.300s", path, w.Body)
					}
				}
			}
		}
	})

	t.Run("the trail in English", func(t *testing.T) {
		// Last: the language is the auditor's, kept with the account.
		if st, _, _ := aud.post("/lang", url.Values{"lang": {"en"}, "next": {"/audit"}}); st != http.StatusSeeOther {
			t.Fatalf("switch to English = %d", st)
		}
		if _, r := aud.get("/audit?action=user.create"); !strings.Contains(r, "User created") {
			t.Error("the action is not named in English")
		}
	})
}
