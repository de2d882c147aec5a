package cli

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/anxin-welfare/anxin/pkg/auth"
	"github.com/anxin-welfare/anxin/pkg/pg"
)

// caseRef is an injury case as the seed follows it.
type caseRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Version int64  `json:"version"`
}

// act takes one step on a case as the caseworker.
func (s *seeder) act(ctx context.Context, c *caseRef, action string, body map[string]any) error {
	var b any
	if body != nil {
		b = body
	}
	v, err := s.call(ctx, action+" on case "+c.Number, s.caseworker(), "injury", http.MethodPost, "/cases/"+c.ID+"/actions/"+action, b, c.Version, nil)
	if err != nil {
		return err
	}
	c.Version = v
	return nil
}

func (s *seeder) openCase(ctx context.Context, who auth.Identity, body map[string]any) (*caseRef, error) {
	var c caseRef
	if _, err := s.call(ctx, "open an injury case", who, "injury", http.MethodPost, "/cases", body, 0, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

func (s *seeder) seedInjury(ctx context.Context) error {
	cw := s.caseworker()
	if _, err := s.call(ctx, "list injury cases", cw, "injury", http.MethodGet, "/cases", nil, 0, nil); err != nil {
		if isMissingRoute(err) {
			s.res.skipped = append(s.res.skipped, "injury cases: the injury service has no case API in this build")
			return nil
		}
		return err
	}
	const hospital = "县人民医院"
	// In treatment: reported by the officer himself from the scene; a minor
	// injury without injury leave, so his annual-leave request below stands.
	zhang := s.officer
	a, err := s.openCase(ctx, s.officerID(zhang), map[string]any{
		"member_id": zhang.ID, "unit_id": zhang.UnitID, "injured_at": s.at(3, 9, 40).Format(time.RFC3339),
		"place": "城关镇人民路与解放路交叉口", "description": "路口执勤处置交通事故时，被失控电动车撞伤左小腿", "hospital": hospital, "severity": "minor"})
	if err != nil {
		return err
	}
	if err := s.act(ctx, a, "confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(5000), "phone": demoCaseworkerPhone}); err != nil {
		return err
	}

	// In triage: critical, just reported, not yet acknowledged (its clock is red).
	bm, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	b, err := s.openCase(ctx, cw, map[string]any{
		"member_id": bm.ID, "unit_id": bm.UnitID, "injured_at": s.now.Add(-50 * time.Minute).Format(time.RFC3339),
		"place": "东城区建设路农贸市场", "description": "抓捕持刀嫌疑人时右前臂被刺伤，出血较多，已送医", "hospital": "县中医院", "severity": "critical"})
	if err != nil {
		return err
	}

	// Determination filed and accepted: the decision clock runs.
	cm, err := s.pick("xj", func(m *demoMember) bool { return m.Category == "auxiliary_police" && m.AuxDuty == "duty" })
	if err != nil {
		return err
	}
	c, err := s.openCase(ctx, cw, map[string]any{
		"member_id": cm.ID, "unit_id": cm.UnitID, "injured_at": s.at(45, 22, 15).Format(time.RFC3339),
		"place": "西郊镇307国道治安检查站", "description": "夜间设卡检查时被强行闯卡车辆剐倒，左锁骨骨折", "hospital": hospital, "severity": "serious"})
	if err != nil {
		return err
	}
	for _, st := range []struct {
		action string
		body   map[string]any
	}{
		{"confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(20000), "phone": demoCaseworkerPhone}},
		{"start_leave", map[string]any{"start": s.day(45)}},
		{"file_determination", map[string]any{"filed_on": s.day(30)}},
		{"accept_filing", map[string]any{"accepted_on": s.day(25), "clear_facts": false}},
	} {
		if err := s.act(ctx, c, st.action, st.body); err != nil {
			return err
		}
	}

	// Recognised and graded: the grants service opens a disabled-on-duty
	// notice from its case.graded event.
	wang := s.family
	d, err := s.openCase(ctx, cw, map[string]any{
		"member_id": wang.ID, "unit_id": wang.UnitID, "injured_at": s.at(150, 15, 30).Format(time.RFC3339),
		"place": "城关镇滨河小区", "description": "入户调解家庭纠纷时遭当事人持械袭击，头部及右手受伤", "hospital": hospital, "severity": "serious"})
	if err != nil {
		return err
	}
	for _, st := range []struct {
		action string
		body   map[string]any
	}{
		{"confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(30000), "phone": demoCaseworkerPhone}},
		{"start_leave", map[string]any{"start": s.day(150)}},
		{"file_determination", map[string]any{"filed_on": s.day(140)}},
		{"accept_filing", map[string]any{"accepted_on": s.day(125), "clear_facts": true}},
		{"decide", map[string]any{"decided_on": s.day(110), "outcome": "recognised", "clause": 1}},
		{"request_grading", map[string]any{"applied_on": s.day(100)}},
		{"record_grade", map[string]any{"graded_on": s.day(60), "grade": 8, "nursing": "none"}},
	} {
		if err := s.act(ctx, d, st.action, st.body); err != nil {
			return err
		}
	}

	// One incident, two injured: one in treatment, one withdrawn and closed.
	e1, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	e2, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "auxiliary_police" })
	if err != nil {
		return err
	}
	var inc struct {
		Cases []caseRef `json:"cases"`
	}
	if _, err := s.call(ctx, "report an incident", cw, "injury", http.MethodPost, "/incidents", map[string]any{
		"unit_id": e1.UnitID, "occurred_at": s.at(20, 10, 5).Format(time.RFC3339), "place": "东城区和平广场",
		"description": "处置聚众斗殴警情，一名民警、一名辅警在制止过程中受伤",
		"injured": []map[string]any{
			{"member_id": e1.ID, "severity": "serious", "hospital": hospital},
			{"member_id": e2.ID, "severity": "minor", "hospital": hospital},
		}}, 0, &inc); err != nil {
		return err
	}
	if len(inc.Cases) != 2 {
		return fmt.Errorf("seed step %q: the incident has %d cases, want 2", "report an incident", len(inc.Cases))
	}
	if err := s.act(ctx, &inc.Cases[0], "confirm_handoff", map[string]any{"hospital": hospital, "guarantee_fen": yuan(10000), "phone": demoCaseworkerPhone}); err != nil {
		return err
	}
	withdrawn := &inc.Cases[1]
	if _, err := s.call(ctx, "comment on case "+withdrawn.Number, cw, "injury", http.MethodPost, "/cases/"+withdrawn.ID+"/comments",
		map[string]any{"body": "仅手臂轻微擦伤，现场处置后已返岗，本人申请撤回。"}, 0, nil); err != nil {
		return err
	}
	if err := s.act(ctx, withdrawn, "close", map[string]any{"reason": "withdrawn"}); err != nil {
		return err
	}
	s.graded = d
	s.res.done = append(s.res.done, fmt.Sprintf("injury: 6 cases: %s critical in triage (unacknowledged), %s and %s in treatment (%s with %s of an incident), %s determination accepted, %s recognised and graded (grade 8), %s withdrawn and closed",
		b.Number, a.Number, inc.Cases[0].Number, inc.Cases[0].Number, withdrawn.Number, c.Number, d.Number, withdrawn.Number))
	return nil
}

// appRef is a grant application as the seed follows it.
type appRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	State   string `json:"state"`
	Version int64  `json:"version"`
}

// step takes one step of the approval chain as who.
func (s *seeder) step(ctx context.Context, a *appRef, step string, who auth.Identity, body map[string]any) error {
	var b any
	if body != nil {
		b = body
	}
	v, err := s.call(ctx, step+" application "+a.Number, who, "grants", http.MethodPost, "/applications/"+a.ID+"/"+step, b, a.Version, a)
	if err != nil {
		return err
	}
	a.Version = v
	return nil
}

// seedPrograms creates this year's fund and its programs.
func (s *seeder) seedPrograms(ctx context.Context) error {
	admin := s.admin()
	if _, err := s.call(ctx, "list funds", admin, "grants", http.MethodGet, "/funds", nil, 0, nil); err != nil {
		if isMissingRoute(err) {
			s.res.skipped = append(s.res.skipped, "grants: the grants service has no fund API in this build")
			return nil
		}
		return err
	}
	y := s.today.Year()
	var fund struct {
		ID string `json:"id"`
	}
	if _, err := s.call(ctx, "create the fund", admin, "grants", http.MethodPost, "/funds", map[string]any{
		"fiscal_year": y, "name": fmt.Sprintf("%d年度政法干警关爱帮扶资金", y), "appropriation": yuan(3000000)}, 0, &fund); err != nil {
		return err
	}
	byGrade := make([]int64, 10)
	for g := range byGrade {
		byGrade[g] = yuan(10000) * int64(10-g)
	}
	programs := []map[string]any{
		{"fund_id": fund.ID, "code": "demo-hardship", "name_zh": "困难干警帮扶", "name_en": "Officers in hardship", "kind": "hardship",
			"allocation": yuan(800000), "eligibility": map[string]any{"max_income_per_capita": yuan(2500)},
			"amount_rule": map[string]any{"kind": "assessed", "cap": yuan(20000)}, "required_documents": []string{"家庭收入证明", "困难情况说明"},
			"dual_approval_above": yuan(10000)},
		{"fund_id": fund.ID, "code": "demo-disabled", "name_zh": "因公致残干警慰问金", "name_en": "Officers disabled on duty", "kind": "disabled_on_duty",
			"allocation": yuan(600000), "eligibility": map[string]any{"event": "disability_graded"},
			"amount_rule": map[string]any{"kind": "by_grade", "by_grade": byGrade}, "required_documents": []string{"伤残等级鉴定结论"},
			"dual_approval_above": yuan(30000)},
		{"fund_id": fund.ID, "code": "demo-education", "name_zh": "干警子女助学金", "name_en": "Education support for officers' children", "kind": "children_education",
			"allocation": yuan(300000), "amount_rule": map[string]any{"kind": "fixed", "fixed": yuan(3000)}, "required_documents": []string{"在读证明"},
			"dual_approval_above": yuan(10000)},
		{"fund_id": fund.ID, "code": "demo-martyr", "name_zh": "烈士及因公牺牲干警遗属抚恤", "name_en": "Families of martyrs and officers fallen on duty", "kind": "martyr_family",
			"allocation": yuan(1000000), "eligibility": map[string]any{"event": "death_on_duty", "dependants_only": true},
			"amount_rule": map[string]any{"kind": "statutory", "calculator": "martyr_grant"}, "required_documents": []string{"烈士证明书", "亲属关系证明"},
			"dual_approval_above": 0},
	}
	s.programs = map[string]string{}
	for _, p := range programs {
		var out struct {
			ID string `json:"id"`
		}
		if _, err := s.call(ctx, "create program "+p["name_zh"].(string), admin, "grants", http.MethodPost, "/programs", p, 0, &out); err != nil {
			return err
		}
		s.programs[p["code"].(string)] = out.ID
	}
	s.res.done = append(s.res.done, fmt.Sprintf("grants: fund %d (3,000,000 元) with 4 programs (hardship, disabled on duty, children's education, martyr families)", y))
	return nil
}

// seedApplications files applications at every stage of the approval chain.
func (s *seeder) seedApplications(ctx context.Context) error {
	if s.programs == nil {
		return nil // no grants API: noted by seedPrograms
	}
	ids := s.programs

	// The second approval of the large grant is left to the demo approvers.
	cw, approver1, finance := s.caseworker(), s.staff(auth.RoleApprover, 1), s.staff(auth.RoleFinance, 0)
	apply := func(m *demoMember, program string, amount, income int64, docs []string) (*appRef, error) {
		var a appRef
		body := map[string]any{"program_id": ids[program], "documents": docs, "form": map[string]any{"category": m.Category, "income_per_capita": income}}
		if amount > 0 {
			body["requested_amount"] = amount
		}
		if program == "demo-education" {
			delete(body["form"].(map[string]any), "income_per_capita")
		}
		if _, err := s.call(ctx, "apply to "+program+" for "+m.Name, s.officerID(m), "grants", http.MethodPost, "/applications", body, 0, &a); err != nil {
			return nil, err
		}
		return &a, nil
	}
	hardshipDocs := []string{"家庭收入证明", "困难情况说明"}

	// Paid: submitted, reviewed, approved, disbursed.
	paid, err := apply(s.officer, "demo-hardship", yuan(8000), yuan(1800), hardshipDocs)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		who  auth.Identity
	}{{"submit", s.officerID(s.officer)}, {"review", cw}, {"approve", approver1}, {"disburse", finance}} {
		if err := s.step(ctx, paid, st.step, st.who, nil); err != nil {
			return err
		}
	}
	// Above the threshold: one approval given, the second awaited.
	big, err := s.pick("dc", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	second, err := apply(big, "demo-hardship", yuan(15000), yuan(1500), hardshipDocs)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		who  auth.Identity
	}{{"submit", s.officerID(big)}, {"review", cw}, {"approve", approver1}} {
		if err := s.step(ctx, second, st.step, st.who, nil); err != nil {
			return err
		}
	}
	// Approved and awaiting payment, in finance's "to pay" list.
	um, err := s.pick("cg", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	unpaid, err := apply(um, "demo-hardship", yuan(6000), yuan(1900), hardshipDocs)
	if err != nil {
		return err
	}
	for _, st := range []struct {
		step string
		who  auth.Identity
	}{{"submit", s.officerID(um)}, {"review", cw}, {"approve", approver1}} {
		if err := s.step(ctx, unpaid, st.step, st.who, nil); err != nil {
			return err
		}
	}
	// Submitted, in the caseworker's queue.
	parent, err := s.pick("xj", func(m *demoMember) bool { return hasChild(m) })
	if err != nil {
		parent, err = s.pick("", hasChild)
		if err != nil {
			return err
		}
	}
	edu, err := apply(parent, "demo-education", 0, 0, []string{"在读证明"})
	if err != nil {
		return err
	}
	if err := s.step(ctx, edu, "submit", s.officerID(parent), nil); err != nil {
		return err
	}
	// Returned for more documents.
	rm, err := s.pick("bureau", func(m *demoMember) bool { return m.Category == "police" })
	if err != nil {
		return err
	}
	returned, err := apply(rm, "demo-hardship", yuan(6000), yuan(2100), hardshipDocs)
	if err != nil {
		return err
	}
	if err := s.step(ctx, returned, "submit", s.officerID(rm), nil); err != nil {
		return err
	}
	if err := s.step(ctx, returned, "return", cw, map[string]any{"reason": "请补充街道或村委会出具的家庭收入证明原件扫描件。"}); err != nil {
		return err
	}
	// A draft not yet sent.
	dm, err := s.pick("court", nil)
	if err != nil {
		return err
	}
	draft, err := apply(dm, "demo-hardship", yuan(5000), yuan(2000), []string{"困难情况说明"})
	if err != nil {
		return err
	}
	for _, x := range []struct {
		app  *appRef
		want string
	}{{paid, "disbursed"}, {second, "reviewed"}, {unpaid, "approved"}, {edu, "submitted"}, {returned, "returned"}, {draft, "draft"}} {
		if err := expectState("application "+x.app.Number, x.app.State, x.want); err != nil {
			return err
		}
	}
	s.res.done = append(s.res.done, fmt.Sprintf("grants: applications %s disbursed, %s approved once and awaiting the second approver, %s approved and awaiting payment, %s submitted, %s returned for documents, %s draft",
		paid.Number, second.Number, unpaid.Number, edu.Number, returned.Number, draft.Number))
	return s.waitForNotice(ctx)
}

// seedFamilyApplication gives the demo family user (李娜, the wife of
// 王强) an application of her own, made with her account as the grants
// service takes it from a family member: the education grant for their
// daughter 王梓萱, naming her as the dependant, submitted. The grants
// service knows the dependants from enrollment's member events, so this
// waits for them first.
func (s *seeder) seedFamilyApplication(ctx context.Context, familyUserID string) error {
	if s.programs == nil || s.family == nil {
		return nil // no grants API: noted by seedPrograms
	}
	const child = "王梓萱"
	var deps struct {
		Items []struct {
			ID   string `json:"dependant_id"`
			Name string `json:"name"`
		} `json:"items"`
	}
	childID := ""
	err := eventually(ctx, 20*time.Second, func() (bool, error) {
		if _, err := s.call(ctx, "list the dependants of "+s.family.Name, s.caseworker(), "grants", http.MethodGet, "/members/"+s.family.ID+"/dependants", nil, 0, &deps); err != nil {
			return false, err
		}
		for _, d := range deps.Items {
			if d.Name == child {
				childID = d.ID
			}
		}
		return childID != "", nil
	})
	if err != nil {
		return fmt.Errorf("seed step %q: %w", "wait for the dependants of "+s.family.Name+" in grants", err)
	}
	who := auth.Identity{UserID: familyUserID, MemberID: s.family.ID, Name: "李家属", Roles: []auth.Role{auth.RoleFamily}, Units: []string{s.family.UnitID}}
	var a appRef
	if _, err := s.call(ctx, "apply to demo-education as the family of "+s.family.Name, who, "grants", http.MethodPost, "/applications",
		map[string]any{"program_id": s.programs["demo-education"], "dependant_id": childID, "documents": []string{"在读证明"}}, 0, &a); err != nil {
		return err
	}
	if err := s.step(ctx, &a, "submit", who, nil); err != nil {
		return err
	}
	if err := expectState("application "+a.Number, a.State, "submitted"); err != nil {
		return err
	}
	s.res.done = append(s.res.done, fmt.Sprintf("grants: application %s by the family user for %s's daughter %s, submitted", a.Number, s.family.Name, child))
	return nil
}

// gatewayUserID reads the id the gateway gave a demo user, from the
// gateway's schema: the seed acts as that user once the users exist.
func gatewayUserID(ctx context.Context, databaseURL, schema, username string) (string, error) {
	db, err := pg.Open(ctx, pg.Config{URL: databaseURL, Schema: schema, MaxOpenConns: 1})
	if err != nil {
		return "", err
	}
	defer db.Close()
	var id string
	if err := db.GetContext(ctx, &id, `SELECT id::text FROM users WHERE username = $1`, username); err != nil {
		return "", fmt.Errorf("seed: the gateway user %s: %w", username, err)
	}
	return id, nil
}

// waitForNotice waits a little for the disabled-on-duty notice the grants
// service opens from the graded case's event: the proof that the events
// flow. It is a note, not a failure, when it has not arrived yet: the
// event stays in the stream and is applied when the services run again.
func (s *seeder) waitForNotice(ctx context.Context) error {
	if s.graded == nil {
		return nil
	}
	var notices struct {
		Items []struct {
			MemberID string `json:"member_id"`
		} `json:"items"`
	}
	err := eventually(ctx, 20*time.Second, func() (bool, error) {
		if _, err := s.call(ctx, "list grants notices", s.caseworker(), "grants", http.MethodGet, "/notices", nil, 0, &notices); err != nil {
			return false, err
		}
		for _, n := range notices.Items {
			if n.MemberID == s.family.ID {
				return true, nil
			}
		}
		return false, nil
	})
	switch {
	case err == nil:
		s.res.done = append(s.res.done, "grants: a disabled-on-duty notice for "+s.family.Name+", opened by the case.graded event of "+s.graded.Number)
	case ctx.Err() != nil:
		return err
	default:
		s.res.notes = append(s.res.notes, "the grants notice from "+s.graded.Number+"'s case.graded event has not arrived yet ("+err.Error()+"); it appears once the services run")
	}
	return nil
}

// expectState checks that a step left an object in the state it should.
func expectState(what, got, want string) error {
	if got != want {
		return fmt.Errorf("seed: %s is %q after its steps, want %q", what, got, want)
	}
	return nil
}

func hasChild(m *demoMember) bool {
	for _, d := range m.dependants {
		if d.Relation == "child" {
			return true
		}
	}
	return false
}
