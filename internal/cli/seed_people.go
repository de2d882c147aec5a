package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/anxin-welfare/anxin/pkg/clock"
	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// demoUnit is one unit of the demo county, listed children before parents.
type demoUnit struct {
	key, code, name, kind, parent string
}

// demoUnits is the county's tree. The committee is created first and is
// the marker of an earlier run; the police stations come first in the list
// because the demo users' home unit is the first.
var demoUnits = []demoUnit{
	{key: "cg", code: "demo-gaj-cg", name: "城关派出所", kind: "police_station", parent: "bureau"},
	{key: "dc", code: "demo-gaj-dc", name: "东城派出所", kind: "police_station", parent: "bureau"},
	{key: "xj", code: "demo-gaj-xj", name: "西郊派出所", kind: "police_station", parent: "bureau"},
	{key: "bureau", code: "demo-gaj", name: "县公安局", kind: "police_bureau", parent: "committee"},
	{key: "court", code: "demo-fy", name: "县人民法院", kind: "court", parent: "committee"},
	{key: "procuratorate", code: "demo-jcy", name: "县人民检察院", kind: "procuratorate", parent: "committee"},
	{key: "justice", code: "demo-sfj", name: "县司法局", kind: "justice_bureau", parent: "committee"},
	{key: "committee", code: "demo-zfw", name: "县委政法委", kind: "committee"},
}

// demoRoster is how many members of each category each unit has: 200.
var demoRoster = []struct {
	unit string
	mix  []demoCount
}{
	{"cg", []demoCount{{"police", 30}, {"auxiliary_police", 15}}},
	{"dc", []demoCount{{"police", 25}, {"auxiliary_police", 12}}},
	{"xj", []demoCount{{"police", 20}, {"auxiliary_police", 10}}},
	{"bureau", []demoCount{{"police", 20}, {"auxiliary_police", 5}}},
	{"court", []demoCount{{"judge", 14}, {"judicial_police", 6}, {"civil_servant", 5}}},
	{"procuratorate", []demoCount{{"prosecutor", 14}, {"judicial_police", 4}, {"civil_servant", 4}}},
	{"justice", []demoCount{{"civil_servant", 12}}},
	{"committee", []demoCount{{"civil_servant", 4}}},
}

type demoCount struct {
	category string
	n        int
}

// demoArea is the area code of the demo identity numbers.
const demoArea = "340123"

// demoMember is a member the seed registers, with what later steps need.
type demoMember struct {
	ID         string
	Version    int64
	Name       string
	Unit       string // unit key
	UnitID     string
	Category   string
	Male       bool
	Birth      time.Time
	Hire       time.Time
	Frontline  bool
	AuxDuty    string
	HighRisk   bool
	dependants []demoDependant
	used       bool // already given a role in a case, application or request
}

type demoDependant struct {
	Relation, Name string
	Male           bool
	Birth          time.Time
}

var (
	demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")
	demoMale     = []string{"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "阳", "志强", "海波", "文博", "建华", "国栋", "振宇", "晓东", "永刚", "立新"}
	demoFemale   = []string{"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玲", "婷", "雪", "慧", "颖", "琳", "倩", "洁", "红", "燕", "萍", "晶", "佳", "欣", "悦", "晓燕", "丽娟", "雅婷", "思琪"}
)

// demoRand is a small deterministic generator (SplitMix64), so every
// demo county is the same county.
type demoRand struct{ state uint64 }

func (r *demoRand) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n).
func (r *demoRand) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *demoRand) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func (r *demoRand) name(male bool) string {
	given := demoFemale
	if male {
		given = demoMale
	}
	return string(demoSurnames[r.intn(len(demoSurnames))]) + given[r.intn(len(given))]
}

func (r *demoRand) day(fromYear, toYear int) time.Time {
	return time.Date(r.between(fromYear, toYear), time.Month(r.between(1, 12)), r.between(1, 28), 0, 0, 0, 0, time.UTC)
}

func (r *demoRand) phone() string {
	prefixes := []string{"139", "138", "137", "136", "135", "158", "159", "188", "186", "133", "177", "150"}
	return prefixes[r.intn(len(prefixes))] + fmt.Sprintf("%08d", r.intn(100000000))
}

// demoPeople builds the 200 members, the demo officer (张建国) and the
// officer whose wife is the demo family user (王强, wife 李娜) first in
// 城关派出所.
func demoPeople(today time.Time) []*demoMember {
	r := &demoRand{state: 20261127}
	var out []*demoMember
	latestHire := today.AddDate(0, -2, 0)
	for _, u := range demoRoster {
		for _, mix := range u.mix {
			for i := 0; i < mix.n; i++ {
				m := &demoMember{Unit: u.unit, Category: mix.category, Male: r.intn(100) < 78}
				if mix.category == "judge" || mix.category == "prosecutor" || mix.category == "civil_servant" {
					m.Male = r.intn(100) < 55
				}
				m.Name = r.name(m.Male)
				if mix.category == "auxiliary_police" {
					m.Birth = r.day(1984, 2002)
					m.Hire = m.Birth.AddDate(r.between(20, 24), r.between(0, 11), 0)
				} else {
					m.Birth = r.day(1967, 1999)
					m.Hire = m.Birth.AddDate(r.between(21, 26), r.between(0, 11), 0)
				}
				if m.Hire.After(latestHire) {
					m.Hire = latestHire.AddDate(0, 0, -r.intn(300))
				}
				switch mix.category {
				case "police":
					m.Frontline = u.unit != "bureau" || r.intn(2) == 0
				case "judicial_police":
					m.Frontline = true
				case "auxiliary_police":
					m.AuxDuty = "duty"
					if u.unit == "bureau" || r.intn(5) == 0 {
						m.AuxDuty = "civilian"
					}
					m.Frontline = m.AuxDuty == "duty"
					m.HighRisk = m.AuxDuty == "duty" && r.intn(5) < 2
				}
				if len(out)%7 == 3 {
					sp := demoDependant{Relation: "spouse", Male: !m.Male, Birth: m.Birth.AddDate(r.between(-3, 3), r.between(0, 11), 0)}
					sp.Name = r.name(sp.Male)
					m.dependants = append(m.dependants, sp)
					if m.Birth.Year() < 1995 {
						ch := demoDependant{Relation: "child", Male: r.intn(2) == 0, Birth: r.day(m.Birth.Year()+26, min(m.Birth.Year()+38, today.Year()-1))}
						ch.Name = string([]rune(m.Name)[0]) + []string{"子涵", "梓萱", "一诺", "浩然", "欣怡", "宇轩", "雨桐", "俊熙"}[r.intn(8)]
						m.dependants = append(m.dependants, ch)
					}
				}
				out = append(out, m)
			}
		}
	}
	// The two members the demo officer and family users stand for.
	zhang, wang := out[0], out[1]
	*zhang = demoMember{Name: "张建国", Unit: "cg", Category: "police", Male: true, Frontline: true,
		Birth: time.Date(1985, 6, 12, 0, 0, 0, 0, time.UTC), Hire: time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC),
		dependants: []demoDependant{
			{Relation: "spouse", Name: "陈静", Birth: time.Date(1987, 3, 8, 0, 0, 0, 0, time.UTC)},
			{Relation: "child", Name: "张子涵", Male: true, Birth: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC)},
		}}
	*wang = demoMember{Name: "王强", Unit: "cg", Category: "police", Male: true, Frontline: true,
		Birth: time.Date(1979, 11, 20, 0, 0, 0, 0, time.UTC), Hire: time.Date(2001, 8, 1, 0, 0, 0, 0, time.UTC),
		dependants: []demoDependant{
			{Relation: "spouse", Name: "李娜", Birth: time.Date(1981, 4, 16, 0, 0, 0, 0, time.UTC)},
			{Relation: "child", Name: "王梓萱", Birth: time.Date(2008, 2, 3, 0, 0, 0, 0, time.UTC)},
			{Relation: "parent", Name: "王德明", Male: true, Birth: time.Date(1952, 7, 9, 0, 0, 0, 0, time.UTC)},
		}}
	return out
}

// pick returns the first unused member of unit (any unit when "") that
// satisfies ok, and marks it used.
func (s *seeder) pick(unit string, ok func(*demoMember) bool) (*demoMember, error) {
	for _, m := range s.members {
		if !m.used && (unit == "" || m.Unit == unit) && (ok == nil || ok(m)) {
			m.used = true
			return m, nil
		}
	}
	return nil, fmt.Errorf("seed: no demo member in %q fits", unit)
}

func (s *seeder) seedEnrollment(ctx context.Context) error {
	s.units = map[string]string{}
	admin := s.admin()
	for i := len(demoUnits) - 1; i >= 0; i-- {
		u := demoUnits[i]
		body := map[string]any{"code": u.code, "name": u.name, "kind": u.kind}
		if u.parent != "" {
			body["parent_id"] = s.units[u.parent]
		}
		var out struct {
			ID string `json:"id"`
		}
		if _, err := s.call(ctx, "create unit "+u.name, admin, "enrollment", http.MethodPost, "/units", body, 0, &out); err != nil {
			return err
		}
		s.units[u.key] = out.ID
	}
	s.res.done = append(s.res.done, fmt.Sprintf("enrollment: %d units (县委政法委 and below)", len(demoUnits)))

	cw := s.caseworker()
	s.members = demoPeople(s.today)
	dependants := 0
	for i, m := range s.members {
		m.UnitID = s.units[m.Unit]
		post := map[string]any{"frontline": m.Frontline}
		if m.Category == "auxiliary_police" {
			post["aux_duty"], post["high_risk"] = m.AuxDuty, m.HighRisk
		}
		r := &demoRand{state: uint64(i) + 7}
		body := map[string]any{
			"unit_id": m.UnitID, "name": m.Name, "category": m.Category, "post": post,
			"id_number": idNumber(m.Birth, 2*i, m.Male), "phone": r.phone(), "hire_date": date(m.Hire),
		}
		var out struct {
			ID string `json:"id"`
		}
		v, err := s.call(ctx, "register member "+m.Name, cw, "enrollment", http.MethodPost, "/members", body, 0, &out)
		if err != nil {
			return err
		}
		m.ID, m.Version = out.ID, v
		for _, d := range m.dependants {
			body := map[string]any{"relation": d.Relation, "name": d.Name, "id_number": idNumber(d.Birth, 400+2*dependants, d.Male)}
			v, err := s.call(ctx, "add dependant of "+m.Name, cw, "enrollment", http.MethodPost, "/members/"+m.ID+"/dependants", body, m.Version, nil)
			if err != nil {
				return err
			}
			m.Version = v
			dependants++
		}
	}
	s.officer, s.family = s.members[0], s.members[1]
	s.officer.used, s.family.used = true, true
	byCat := map[string]int{}
	for _, m := range s.members {
		byCat[m.Category]++
	}
	s.res.done = append(s.res.done, fmt.Sprintf("enrollment: %d members (police %d, auxiliary_police %d, judge %d, prosecutor %d, judicial_police %d, civil_servant %d) with %d dependants",
		len(s.members), byCat["police"], byCat["auxiliary_police"], byCat["judge"], byCat["prosecutor"], byCat["judicial_police"], byCat["civil_servant"], dependants))

	// A merit on record for the demo officer.
	v, err := s.call(ctx, "record an honour", cw, "enrollment", http.MethodPost, "/members/"+s.officer.ID+"/honours",
		map[string]any{"kind": "merit_third", "awarded_on": date(time.Date(2019, 12, 20, 0, 0, 0, 0, time.UTC))}, s.officer.Version, nil)
	if err != nil {
		return err
	}
	s.officer.Version = v
	return s.seedPlans(ctx)
}

// idNumber is a valid identity number of the demo area; distinct even
// sequence numbers keep every number distinct.
func idNumber(birth time.Time, seq int, male bool) string {
	return idcard.Generate(demoArea, birth, seq%1000, male)
}

func (s *seeder) seedPlans(ctx context.Context) error {
	y := s.today.Year()
	all := []string{"police", "judicial_police", "judge", "prosecutor", "civil_servant", "auxiliary_police"}
	coverage := map[string]string{"from": fmt.Sprintf("%d-01-01", y), "to": fmt.Sprintf("%d-12-31", y)}
	disability := make([]int64, 10)
	for g := range disability {
		disability[g] = yuan(1000000) * int64(10-g) / 10
	}
	plans := []map[string]any{
		{"scheme": "work_injury", "year": y, "name": fmt.Sprintf("%d年度工伤保险", y), "coverage": coverage,
			"eligibility": map[string]any{"categories": all}, "premium_fen": yuan(960), "payer": "unit", "waiting_days": 0},
		{"scheme": "personal_accident", "year": y, "name": fmt.Sprintf("%d年度干警人身意外伤害保险", y), "coverage": coverage,
			"eligibility": map[string]any{"categories": []string{"police", "judicial_police", "auxiliary_police"}}, "premium_fen": yuan(300), "payer": "county_finance",
			"waiting_days": 0, "sums_insured": map[string]any{"death_fen": yuan(1000000), "disability_fen": disability}},
		{"scheme": "critical_illness", "year": y, "name": fmt.Sprintf("%d年度重大疾病保险", y), "coverage": coverage,
			"eligibility": map[string]any{"categories": all}, "premium_fen": yuan(240), "payer": "county_finance",
			"waiting_days": 90, "sums_insured": map[string]any{"critical_illness_fen": yuan(300000)}},
	}
	admin, cw := s.admin(), s.caseworker()
	enrolled := 0
	for _, p := range plans {
		var out struct {
			ID string `json:"id"`
		}
		if _, err := s.call(ctx, "create plan "+p["name"].(string), admin, "enrollment", http.MethodPost, "/plans", p, 0, &out); err != nil {
			return err
		}
		var bulk struct {
			Enrolled []json.RawMessage `json:"enrolled"`
		}
		body := map[string]any{"unit_ids": []string{s.units["committee"]}, "start": coverage["from"]}
		if _, err := s.call(ctx, "bulk-enroll in "+p["name"].(string), cw, "enrollment", http.MethodPost, "/plans/"+out.ID+"/bulk-enrollments", body, 0, &bulk); err != nil {
			return err
		}
		enrolled += len(bulk.Enrolled)
	}
	s.res.done = append(s.res.done, fmt.Sprintf("enrollment: %d insurance plans for %d (work injury, personal accident, critical illness), %d enrollments by bulk enrollment", len(plans), y, enrolled))
	return nil
}

// at is an instant daysAgo days before today, at hh:mm in Asia/Shanghai.
func (s *seeder) at(daysAgo, hh, mm int) time.Time {
	return time.Date(s.today.Year(), s.today.Month(), s.today.Day()-daysAgo, hh, mm, 0, 0, clock.Shanghai)
}

// day is the date daysAgo days before today.
func (s *seeder) day(daysAgo int) string { return date(s.today.AddDate(0, 0, -daysAgo)) }
