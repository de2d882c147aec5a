package domain

import "github.com/anxin-welfare/anxin/pkg/fielderr"

// Category is the kind of officer a member is. It decides which rules apply
// to them elsewhere: police and judicial police get police 抚恤 (人民警察法
// art. 41), judges, prosecutors and civil staff are civil servants, auxiliary
// police are labour-contract staff with no police 抚恤 formula and no central
// police accident insurance (DOMAIN.md, "Who is covered").
type Category string

// Categories.
const (
	CategoryPolice          Category = "police"
	CategoryJudicialPolice  Category = "judicial_police"
	CategoryJudge           Category = "judge"
	CategoryProsecutor      Category = "prosecutor"
	CategoryCivilServant    Category = "civil_servant"
	CategoryAuxiliaryPolice Category = "auxiliary_police"
)

// Categories lists every category in a stable order (for forms and checks).
var Categories = []Category{
	CategoryPolice, CategoryJudicialPolice, CategoryJudge,
	CategoryProsecutor, CategoryCivilServant, CategoryAuxiliaryPolice,
}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// SwornPolice reports whether the category is covered by the police 抚恤
// rules (人民警察抚恤优待办法, 民发〔2014〕101号): sworn and judicial police.
func (c Category) SwornPolice() bool {
	return c == CategoryPolice || c == CategoryJudicialPolice
}

// CivilServant reports whether members of the category are civil servants
// (公务员法 art. 82–83), which decides e.g. supplementary medical cover
// (国办发〔2000〕37号). Sworn police are civil servants too.
func (c Category) CivilServant() bool {
	return c.Valid() && c != CategoryAuxiliaryPolice
}

// AuxDuty is the post type of an auxiliary police officer: 勤务 (duty, on
// the street with sworn officers) or 文职 (civilian, office work).
type AuxDuty string

// Auxiliary police post types.
const (
	AuxDutyNone     AuxDuty = ""
	AuxDutyField    AuxDuty = "duty"
	AuxDutyCivilian AuxDuty = "civilian"
)

// Post is the kind of post a member holds. Frontline posts get priority for
// recuperation stays; for auxiliary police, the duty type and whether the
// post is high-risk decide which accident insurance is required.
type Post struct {
	Frontline bool
	AuxDuty   AuxDuty
	HighRisk  bool
}

// validatePost checks that the auxiliary-police-only fields are set exactly
// for auxiliary police.
func validatePost(c Category, post Post, p *fielderr.List) {
	if c != CategoryAuxiliaryPolice {
		if post.AuxDuty != AuxDutyNone {
			p.Add("post.aux_duty", "enrollment.post.aux_only")
		}
		if post.HighRisk {
			p.Add("post.high_risk", "enrollment.post.aux_only")
		}
		return
	}
	switch post.AuxDuty {
	case AuxDutyField, AuxDutyCivilian:
	case AuxDutyNone:
		p.Add("post.aux_duty", "enrollment.required")
	default:
		p.Add("post.aux_duty", "enrollment.post.aux_duty_unknown", string(post.AuxDuty))
	}
}
