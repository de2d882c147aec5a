package domain

import "time"

// NoticeState is where an eligibility notice stands in the caseworker queue.
type NoticeState string

// Notice states.
const (
	NoticeOpen      NoticeState = "open"      // waiting for a caseworker
	NoticeConverted NoticeState = "converted" // an application was prepared from it
	NoticeDismissed NoticeState = "dismissed" // a caseworker closed it with a reason
)

// Notice is work opened by an event: a member or dependant who may be
// eligible for a program. Nothing is paid from a notice; a caseworker turns
// it into an application that goes through the whole chain.
type Notice struct {
	ID          string
	ProgramID   string
	MemberID    string
	DependantID string // the dependant concerned, for martyr-family notices
	UnitID      string
	EventRef    string
	Grade       int // filled for disability notices
	Cause       DeathCause
	EventDate   time.Time
	State       NoticeState
	CreatedAt   time.Time
}

// Graded is what grants needs from injury's case.graded event.
type Graded struct {
	CaseID     string
	MemberID   string
	UnitID     string
	Grade      int
	GradedOn   time.Time
	WorkInjury bool // the injury was determined a work injury (工伤)
}

// Deceased is what grants needs from enrollment's member.deceased event.
type Deceased struct {
	MemberID string
	// Name is the member's name, for the family's care record.
	Name       string
	UnitID     string
	Category   Category
	DiedOn     time.Time
	Cause      DeathCause
	Dependants []Dependant
	// Honours are the member's titles and merits (the police 抚恤金 uplift).
	Honours []Honour
}

// NoticesForGraded opens a notice for every active disabled-on-duty program
// that admits the grade. A grading that is not a work injury opens nothing.
func NoticesForGraded(g Graded, programs []Program, at time.Time) []Notice {
	if !g.WorkInjury || g.Grade < 1 || g.Grade > 10 {
		return nil
	}
	var out []Notice
	for _, p := range programs {
		if !p.Active || p.Kind != KindDisabledOnDuty {
			continue
		}
		res := p.Eligibility.Evaluate(Facts{DisabilityGrade: g.Grade, Category: firstCategory(p)})
		if !res.Eligible {
			continue
		}
		out = append(out, Notice{ProgramID: p.ID, MemberID: g.MemberID, UnitID: g.UnitID, EventRef: "injury_case:" + g.CaseID,
			Grade: g.Grade, EventDate: g.GradedOn, State: NoticeOpen, CreatedAt: at})
	}
	return out
}

// firstCategory lets the grade rule be evaluated without the member's
// category, which the caseworker confirms on the application.
func firstCategory(p Program) Category {
	if len(p.Eligibility.Categories) > 0 {
		return p.Eligibility.Categories[0]
	}
	return ""
}

// NoticesForDeath opens a notice per dependant for every active
// martyr-family program whose rules admit the member's category and cause;
// deaths not on duty open nothing.
func NoticesForDeath(d Deceased, programs []Program, at time.Time) []Notice {
	if !d.Cause.OnDuty() {
		return nil
	}
	var out []Notice
	for _, p := range programs {
		if !p.Active || p.Kind != KindMartyrFamily {
			continue
		}
		res := p.Eligibility.Evaluate(Facts{Category: d.Category, Deceased: true, DeathCause: d.Cause, ApplicantIsDependant: true})
		if !res.Eligible {
			continue
		}
		for _, dep := range d.Dependants {
			out = append(out, Notice{ProgramID: p.ID, MemberID: d.MemberID, DependantID: dep.ID, UnitID: d.UnitID, EventRef: "death:" + d.MemberID,
				Cause: d.Cause, EventDate: d.DiedOn, State: NoticeOpen, CreatedAt: at})
		}
	}
	return out
}
