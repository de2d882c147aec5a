package care

import (
	"fmt"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// The family-care pages' views: what the templates (family_care*.html)
// read of the grants service's answers (api/openapi/grants.yaml, /care),
// as plain values. The generated types mark every optional member with a
// pointer, a date as openapi_types.Date and a coded value as interface{};
// they are read here.

type careLiaison struct {
	Role, RoleText, UserID, Name, Phone string
}

type carePlanned struct {
	Occasion, OccasionText string
	Year                   int
	Date, OpensOn, DueOn   string
	Status, StatusText     string
	VisitedOn              string
}

type carePrompt struct {
	Name, StageText, EntryOn string
}

// careStep is a step of a matter's timeline.
type careStep struct {
	Kind, ActorName, Text string
	At                    time.Time
}

type careMatter struct {
	ID, Kind, KindText, TopicText, PersonName, Summary string
	HandlerName, DueOn                                 string
	Overdue                                            bool
	State, StateText, Outcome, ApplicationID           string
	Version                                            int64
	Timeline                                           []careStep
}

// careGift is what a visit gave: an amount in fen, or goods (0).
type careGift struct {
	Description string
	Amount      int64
}

type carePhoto struct {
	FileName, DownloadURL string
}

type careVisit struct {
	ID, Occasion, VisitedOn string
	Visitors                []string
	GivenTotal              int64
	FamilyRaised            string
	Given                   []careGift
	Photos                  []carePhoto
}

type carePerson struct {
	ID, RelationText, Relation, Name, BirthDate string
}

// careFamily is a family as the list, the record and the family's own
// page show it (each answer fills what it has).
type careFamily struct {
	ID, UnitID, Kind, KindText, SubjectName string
	Liaisons                                []careLiaison
	NextVisit                               *carePlanned
	OverdueVisits, OpenMatters              int
	SchoolPrompts                           []carePrompt
	Version                                 int64
	DiedOn                                  string
	Persons                                 []carePerson
	Plan                                    []carePlanned
	Visits                                  []careVisit
	Matters                                 []careMatter
}

// careQueueItem is an overdue visit of a family; Masked hides the family
// from someone outside its circle.
type careQueueItem struct {
	RecordID, UnitID, SubjectName string
	Masked                        bool
	Visit                         carePlanned
}

type careVisitRule struct {
	Occasion, OccasionText string
	Enabled                bool
	DaysBefore, DaysAfter  int
	Version                int64
}

type careFestivalYear struct {
	Year                     int
	SpringFestival, Qingming string
}

type careUnitSummary struct {
	UnitID                                                      string
	Families, VisitsDue, VisitsOnTime, VisitsLate               int
	VisitsOverdue, MattersOpen, MattersResolved, MattersOverdue int
}

// text is a coded value (an enum the document leaves open), "" when absent.
func text(v any) string {
	switch s := v.(type) {
	case nil:
		return ""
	case string:
		return s
	default:
		return fmt.Sprint(s)
	}
}

// day is a date as YYYY-MM-DD, "" when absent.
func day(d *openapi_types.Date) string {
	if d == nil {
		return ""
	}
	return d.String()
}

// id is an id, "" when absent.
func id(u *openapi_types.UUID) string {
	if u == nil {
		return ""
	}
	return u.String()
}

func liaisonsOf(ls *[]grantsapi.Liaison) []careLiaison {
	if ls == nil {
		return nil
	}
	out := make([]careLiaison, 0, len(*ls))
	for _, l := range *ls {
		out = append(out, careLiaison{Role: text(l.Role), RoleText: webkit.Deref(l.RoleText), UserID: webkit.Deref(l.UserId), Name: webkit.Deref(l.Name), Phone: webkit.Deref(l.Phone)})
	}
	return out
}

func plannedOf(p grantsapi.PlannedVisit) carePlanned {
	return carePlanned{Occasion: text(p.Occasion), OccasionText: webkit.Deref(p.OccasionText), Year: webkit.Deref(p.Year), Date: day(p.Date),
		OpensOn: day(p.OpensOn), DueOn: day(p.DueOn), Status: text(p.Status), StatusText: webkit.Deref(p.StatusText), VisitedOn: day(p.VisitedOn)}
}

func nextVisitOf(p *grantsapi.PlannedVisit) *carePlanned {
	if p == nil {
		return nil
	}
	v := plannedOf(*p)
	return &v
}

func promptsOf(ps *[]grantsapi.SchoolPrompt) []carePrompt {
	if ps == nil {
		return nil
	}
	out := make([]carePrompt, 0, len(*ps))
	for _, p := range *ps {
		out = append(out, carePrompt{Name: webkit.Deref(p.Name), StageText: webkit.Deref(p.StageText), EntryOn: day(p.EntryOn)})
	}
	return out
}

func mattersOf(ms *[]grantsapi.CareMatter) []careMatter {
	if ms == nil {
		return nil
	}
	out := make([]careMatter, 0, len(*ms))
	for _, m := range *ms {
		v := careMatter{ID: id(m.Id), Kind: text(m.Kind), KindText: webkit.Deref(m.KindText), TopicText: webkit.Deref(m.TopicText), PersonName: webkit.Deref(m.PersonName),
			Summary: webkit.Deref(m.Summary), HandlerName: webkit.Deref(m.HandlerName), DueOn: day(m.DueOn), Overdue: webkit.Deref(m.Overdue), State: text(m.State),
			StateText: webkit.Deref(m.StateText), Outcome: webkit.Deref(m.Outcome), ApplicationID: id(m.ApplicationId), Version: int64(webkit.Deref(m.Version))}
		if m.Timeline != nil {
			for _, s := range *m.Timeline {
				v.Timeline = append(v.Timeline, careStep{Kind: text(s.Kind), ActorName: webkit.Deref(s.ActorName), Text: webkit.Deref(s.Text), At: webkit.Deref(s.At)})
			}
		}
		out = append(out, v)
	}
	return out
}

func visitsOf(vs *[]grantsapi.CareVisit) []careVisit {
	if vs == nil {
		return nil
	}
	out := make([]careVisit, 0, len(*vs))
	for _, v := range *vs {
		cv := careVisit{ID: id(v.Id), Occasion: text(v.Occasion), VisitedOn: day(v.VisitedOn), Visitors: webkit.Deref(v.Visitors),
			GivenTotal: int64(webkit.Deref(v.GivenTotal)), FamilyRaised: webkit.Deref(v.FamilyRaised)}
		if v.Given != nil {
			for _, g := range *v.Given {
				cv.Given = append(cv.Given, careGift{Description: webkit.Deref(g.Description), Amount: int64(webkit.Deref(g.Amount))})
			}
		}
		if v.Photos != nil {
			for _, p := range *v.Photos {
				cv.Photos = append(cv.Photos, carePhoto{FileName: webkit.Deref(p.FileName), DownloadURL: webkit.Deref(p.DownloadUrl)})
			}
		}
		out = append(out, cv)
	}
	return out
}

// familyOfItem is a family of the list.
func familyOfItem(f grantsapi.CareItem) careFamily {
	return careFamily{ID: id(f.Id), UnitID: webkit.Deref(f.UnitId), Kind: text(f.Kind), KindText: webkit.Deref(f.KindText), SubjectName: webkit.Deref(f.SubjectName),
		Liaisons: liaisonsOf(f.Liaisons), NextVisit: nextVisitOf(f.NextVisit), OverdueVisits: webkit.Deref(f.OverdueVisits),
		OpenMatters: webkit.Deref(f.OpenMatters), SchoolPrompts: promptsOf(f.SchoolPrompts), Version: int64(webkit.Deref(f.Version))}
}

// familyOfRecord is a family's whole record.
func familyOfRecord(f grantsapi.CareRecord) careFamily {
	out := careFamily{ID: id(f.Id), UnitID: webkit.Deref(f.UnitId), Kind: text(f.Kind), KindText: webkit.Deref(f.KindText), SubjectName: webkit.Deref(f.SubjectName),
		Liaisons: liaisonsOf(f.Liaisons), NextVisit: nextVisitOf(f.NextVisit), OverdueVisits: webkit.Deref(f.OverdueVisits),
		OpenMatters: webkit.Deref(f.OpenMatters), SchoolPrompts: promptsOf(f.SchoolPrompts), Version: int64(webkit.Deref(f.Version)), DiedOn: day(f.DiedOn),
		Visits: visitsOf(f.Visits), Matters: mattersOf(f.Matters)}
	if f.Persons != nil {
		for _, p := range *f.Persons {
			out.Persons = append(out.Persons, carePerson{ID: webkit.Deref(p.Id), RelationText: webkit.Deref(p.RelationText), Relation: text(p.Relation),
				Name: webkit.Deref(p.Name), BirthDate: day(p.BirthDate)})
		}
	}
	if f.Plan != nil {
		for _, p := range *f.Plan {
			out.Plan = append(out.Plan, plannedOf(p))
		}
	}
	return out
}

// familyOfView is a family as it sees its own record. Its people come as
// plain objects (the document does not type them).
func familyOfView(f grantsapi.CareFamilyView) careFamily {
	out := careFamily{ID: id(f.Id), Kind: webkit.Deref(f.Kind), KindText: webkit.Deref(f.KindText), SubjectName: webkit.Deref(f.SubjectName),
		Liaisons: liaisonsOf(f.Liaisons), NextVisit: nextVisitOf(f.NextVisit), Matters: mattersOf(f.Matters)}
	if f.Persons != nil {
		for _, p := range *f.Persons {
			out.Persons = append(out.Persons, carePerson{ID: text(p["id"]), RelationText: text(p["relation_text"]), Relation: text(p["relation"]),
				Name: text(p["name"]), BirthDate: text(p["birth_date"])})
		}
	}
	return out
}

// summaryOf is a unit's row of the committee's summary (or the total).
func summaryOf(s *grantsapi.CareUnitSummary) careUnitSummary {
	if s == nil {
		return careUnitSummary{}
	}
	return careUnitSummary{UnitID: webkit.Deref(s.UnitId), Families: webkit.Deref(s.Families), VisitsDue: webkit.Deref(s.VisitsDue), VisitsOnTime: webkit.Deref(s.VisitsOnTime),
		VisitsLate: webkit.Deref(s.VisitsLate), VisitsOverdue: webkit.Deref(s.VisitsOverdue), MattersOpen: webkit.Deref(s.MattersOpen),
		MattersResolved: webkit.Deref(s.MattersResolved), MattersOverdue: webkit.Deref(s.MattersOverdue)}
}

// Occasions of a visit, the kinds and topics of a matter, as the forms
// offer them.
var (
	careOccasions   = []string{"spring_festival", "qingming", "anniversary", "other"}
	careMatterKinds = []string{"schooling", "employment", "medical", "housing", "legal", "other"}
	careTopics      = []string{"", "enrolment", "transfer", "tuition", "exam_bonus", "placement", "training"}
)

// matterForm feeds the shared "carematterform" template.
type matterForm struct {
	P       *web.Page
	ID      string // the family's record, to keep the fields' ids unique
	Action  string
	Persons []carePerson
	Kinds   []string
	Topics  []string
	Show    bool // the refused form is this one: show its values and errors
}
