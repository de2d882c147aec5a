package seed

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/anxin-welfare/anxin/pkg/idcard"
)

// Unit is one unit of the demo county, listed children before parents.
type Unit struct {
	Key, Code, Name, Kind, Parent string
}

// DemoUnits is the county's tree. The committee is created first and is
// the marker of an earlier run; the police stations come first in the list
// because the demo users' home unit is the first.
var DemoUnits = []Unit{
	{Key: "cg", Code: "demo-gaj-cg", Name: "城关派出所", Kind: "police_station", Parent: "bureau"},
	{Key: "dc", Code: "demo-gaj-dc", Name: "东城派出所", Kind: "police_station", Parent: "bureau"},
	{Key: "xj", Code: "demo-gaj-xj", Name: "西郊派出所", Kind: "police_station", Parent: "bureau"},
	{Key: "bureau", Code: "demo-gaj", Name: "县公安局", Kind: "police_bureau", Parent: "committee"},
	{Key: "court", Code: "demo-fy", Name: "县人民法院", Kind: "court", Parent: "committee"},
	{Key: "procuratorate", Code: "demo-jcy", Name: "县人民检察院", Kind: "procuratorate", Parent: "committee"},
	{Key: "justice", Code: "demo-sfj", Name: "县司法局", Kind: "justice_bureau", Parent: "committee"},
	{Key: "committee", Code: "demo-zfw", Name: "县委政法委", Kind: "committee"},
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

// Member is a member the seed registers, with what later steps need.
type Member struct {
	ID         uuid.UUID
	Version    int64
	Name       string
	Unit       string // unit key
	UnitID     uuid.UUID
	Category   string
	Male       bool
	Birth      time.Time
	Hire       time.Time
	Frontline  bool
	AuxDuty    string
	HighRisk   bool
	Dependants []Dependant
	Used       bool // already given a role in a case, application or request
}

// Dependant is a member's family member the seed registers with them.
type Dependant struct {
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

// People builds the 200 members, the demo officer (张建国) and the
// officer whose wife is the demo family user (王强, wife 李娜) first in
// 城关派出所.
func People(today time.Time) []*Member {
	r := &demoRand{state: 20261127}
	var out []*Member
	latestHire := today.AddDate(0, -2, 0)
	for _, u := range demoRoster {
		for _, mix := range u.mix {
			for i := 0; i < mix.n; i++ {
				m := &Member{Unit: u.unit, Category: mix.category, Male: r.intn(100) < 78}
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
					sp := Dependant{Relation: "spouse", Male: !m.Male, Birth: m.Birth.AddDate(r.between(-3, 3), r.between(0, 11), 0)}
					sp.Name = r.name(sp.Male)
					m.Dependants = append(m.Dependants, sp)
					if m.Birth.Year() < 1995 {
						ch := Dependant{Relation: "child", Male: r.intn(2) == 0, Birth: r.day(m.Birth.Year()+26, min(m.Birth.Year()+38, today.Year()-1))}
						ch.Name = string([]rune(m.Name)[0]) + []string{"子涵", "梓萱", "一诺", "浩然", "欣怡", "宇轩", "雨桐", "俊熙"}[r.intn(8)]
						m.Dependants = append(m.Dependants, ch)
					}
				}
				out = append(out, m)
			}
		}
	}
	// The two members the demo officer and family users stand for.
	zhang, wang := out[0], out[1]
	*zhang = Member{Name: "张建国", Unit: "cg", Category: "police", Male: true, Frontline: true,
		Birth: time.Date(1985, 6, 12, 0, 0, 0, 0, time.UTC), Hire: time.Date(2008, 7, 1, 0, 0, 0, 0, time.UTC),
		Dependants: []Dependant{
			{Relation: "spouse", Name: "陈静", Birth: time.Date(1987, 3, 8, 0, 0, 0, 0, time.UTC)},
			{Relation: "child", Name: "张子涵", Male: true, Birth: time.Date(2014, 9, 1, 0, 0, 0, 0, time.UTC)},
		}}
	*wang = Member{Name: "王强", Unit: "cg", Category: "police", Male: true, Frontline: true,
		Birth: time.Date(1979, 11, 20, 0, 0, 0, 0, time.UTC), Hire: time.Date(2001, 8, 1, 0, 0, 0, 0, time.UTC),
		Dependants: []Dependant{
			{Relation: "spouse", Name: "李娜", Birth: time.Date(1981, 4, 16, 0, 0, 0, 0, time.UTC)},
			{Relation: "child", Name: "王梓萱", Birth: time.Date(2008, 2, 3, 0, 0, 0, 0, time.UTC)},
			{Relation: "parent", Name: "王德明", Male: true, Birth: time.Date(1952, 7, 9, 0, 0, 0, 0, time.UTC)},
		}}
	return out
}

// IDNumber is a valid identity number of the demo area; distinct even
// sequence numbers keep every number distinct.
func IDNumber(birth time.Time, seq int, male bool) string {
	return idcard.Generate(demoArea, birth, seq%1000, male)
}

// HasChild reports whether m has a child among their dependants.
func HasChild(m *Member) bool {
	for _, d := range m.Dependants {
		if d.Relation == "child" {
			return true
		}
	}
	return false
}

// Phone is a demo mobile number, the same for the same seq.
func Phone(seq int) string {
	r := &demoRand{state: uint64(seq) + 7}
	return r.phone()
}
