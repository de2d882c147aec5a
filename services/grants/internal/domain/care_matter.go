package domain

import (
	"slices"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
)

// MatterKind is what a family's support matter (诉求) is about.
type MatterKind string

// Matter kinds.
const (
	MatterSchooling  MatterKind = "schooling"  // 就学
	MatterEmployment MatterKind = "employment" // 就业
	MatterMedical    MatterKind = "medical"    // 就医
	MatterHousing    MatterKind = "housing"    // 住房
	MatterLegal      MatterKind = "legal"      // 法律援助
	MatterOther      MatterKind = "other"
)

// matterTopics are the topics each kind admits; a kind without topics
// takes none.
var matterTopics = map[MatterKind][]string{
	MatterSchooling:  {"enrolment", "transfer", "tuition", "exam_bonus"},
	MatterEmployment: {"placement", "training"},
	MatterMedical:    nil,
	MatterHousing:    nil,
	MatterLegal:      nil,
	MatterOther:      nil,
}

// MatterKinds lists the kinds in the order forms show them.
var MatterKinds = []MatterKind{MatterSchooling, MatterEmployment, MatterMedical, MatterHousing, MatterLegal, MatterOther}

// Topics are the topics of kind k.
func (k MatterKind) Topics() []string { return matterTopics[k] }

// MatterState is where a matter stands.
type MatterState string

// A matter is open until someone takes it in hand, then in progress until
// it is resolved with an outcome.
const (
	MatterOpen       MatterState = "open"
	MatterInProgress MatterState = "in_progress"
	MatterResolved   MatterState = "resolved"
)

// MatterStepKind names an entry of a matter's timeline.
type MatterStepKind string

// Timeline entries.
const (
	StepRaised      MatterStepKind = "raised"
	StepAssigned    MatterStepKind = "assigned"
	StepNote        MatterStepKind = "note"
	StepApplication MatterStepKind = "application"
	StepResolved    MatterStepKind = "resolved"
)

// MatterStep is one entry of the timeline; never changed once written.
type MatterStep struct {
	Kind      MatterStepKind
	Actor     string
	ActorName string
	Text      string
	At        time.Time
}

// Matter is one support matter of a family, tracked to an outcome.
type Matter struct {
	ID       string
	RecordID string
	// PersonID is the family member it concerns (a child for schooling).
	PersonID      string
	Kind          MatterKind
	Topic         string
	Summary       string
	HandlerUserID string
	HandlerName   string
	DueOn         time.Time
	State         MatterState
	Outcome       string
	ApplicationID string
	RaisedBy      string
	Timeline      []MatterStep
	Version       int64
	CreatedAt     time.Time
	ResolvedAt    time.Time
}

// NewMatter validates a matter raised on rec by actor (name for the
// timeline) on now; today bounds its deadline.
func NewMatter(m Matter, rec CareRecord, actor, actorName string, now, today time.Time) (Matter, error) {
	var p fielderr.List
	topics, known := matterTopics[m.Kind]
	switch {
	case !known:
		p.Add("kind", CodeUnknownValue, string(m.Kind))
	case len(topics) > 0 && !slices.Contains(topics, m.Topic):
		p.Add("topic", CodeUnknownValue, m.Topic)
	case len(topics) == 0 && m.Topic != "":
		p.Add("topic", CodeNotAllowedHere)
	}
	if m.PersonID != "" {
		if _, ok := rec.Person(m.PersonID); !ok {
			p.Add("person_id", CodeNotDependant)
		}
	}
	m.Summary = strings.TrimSpace(m.Summary)
	required(&p, "summary", m.Summary, MaxLongText)
	if !m.DueOn.IsZero() && m.DueOn.Before(today) {
		p.Add("due_on", CodePastDate)
	}
	if err := p.Err(); err != nil {
		return Matter{}, err
	}
	m.RecordID, m.State, m.RaisedBy, m.CreatedAt, m.Version = rec.ID, MatterOpen, actor, now, 1
	m.Timeline = []MatterStep{{Kind: StepRaised, Actor: actor, ActorName: actorName, Text: m.Summary, At: now}}
	return m, nil
}

// Progress is a step a handler takes on a matter: taking it (or handing it
// to someone), setting its deadline, adding a note.
type Progress struct {
	HandlerUserID string
	HandlerName   string
	DueOn         time.Time
	Note          string
}

// Advance records p on the timeline; a resolved matter takes no more.
func (m *Matter) Advance(p Progress, actor, actorName string, now, today time.Time) error {
	if m.State == MatterResolved {
		return ErrTransition.With(string(m.State))
	}
	var pr fielderr.List
	p.HandlerUserID, p.HandlerName, p.Note = strings.TrimSpace(p.HandlerUserID), strings.TrimSpace(p.HandlerName), strings.TrimSpace(p.Note)
	if p.HandlerUserID != "" {
		required(&pr, "handler_name", p.HandlerName, MaxNameRunes)
	}
	optional(&pr, "note", p.Note, MaxLongText)
	if !p.DueOn.IsZero() && p.DueOn.Before(today) {
		pr.Add("due_on", CodePastDate)
	}
	if p.HandlerUserID == "" && p.DueOn.IsZero() && p.Note == "" {
		pr.Add("note", CodeRequired)
	}
	if err := pr.Err(); err != nil {
		return err
	}
	if p.HandlerUserID != "" || !p.DueOn.IsZero() {
		if p.HandlerUserID != "" {
			m.HandlerUserID, m.HandlerName = p.HandlerUserID, p.HandlerName
		}
		if !p.DueOn.IsZero() {
			m.DueOn = p.DueOn
		}
		text := m.HandlerName
		if !m.DueOn.IsZero() {
			text = strings.TrimSpace(text + " " + m.DueOn.Format(time.DateOnly))
		}
		m.Timeline = append(m.Timeline, MatterStep{Kind: StepAssigned, Actor: actor, ActorName: actorName, Text: text, At: now})
	}
	if p.Note != "" {
		m.Timeline = append(m.Timeline, MatterStep{Kind: StepNote, Actor: actor, ActorName: actorName, Text: p.Note, At: now})
	}
	m.State = MatterInProgress
	return nil
}

// ErrApplicationLinked: a matter leads to one application only; the
// argument is its id.
var ErrApplicationLinked = newCodeError("grants.care.application_linked")

// ErrNotSchooling: only a schooling matter leads to a children's-education
// application.
var ErrNotSchooling = newCodeError("grants.care.not_schooling")

// LinkApplication records the children's-education application the
// matter led to.
func (m *Matter) LinkApplication(appID, number, actor, actorName string, now time.Time) error {
	switch {
	case m.State == MatterResolved:
		return ErrTransition.With(string(m.State))
	case m.Kind != MatterSchooling:
		return ErrNotSchooling
	case m.ApplicationID != "":
		return ErrApplicationLinked.With(m.ApplicationID)
	}
	m.ApplicationID, m.State = appID, MatterInProgress
	m.Timeline = append(m.Timeline, MatterStep{Kind: StepApplication, Actor: actor, ActorName: actorName, Text: number, At: now})
	return nil
}

// Resolve ends the matter with its outcome.
func (m *Matter) Resolve(outcome, actor, actorName string, now time.Time) error {
	if m.State == MatterResolved {
		return ErrTransition.With(string(m.State))
	}
	var p fielderr.List
	outcome = strings.TrimSpace(outcome)
	required(&p, "outcome", outcome, MaxLongText)
	if err := p.Err(); err != nil {
		return err
	}
	m.State, m.Outcome, m.ResolvedAt = MatterResolved, outcome, now
	m.Timeline = append(m.Timeline, MatterStep{Kind: StepResolved, Actor: actor, ActorName: actorName, Text: outcome, At: now})
	return nil
}

// Overdue reports whether the matter is unresolved past its deadline on
// today.
func (m Matter) Overdue(today time.Time) bool {
	return m.State != MatterResolved && !m.DueOn.IsZero() && today.After(m.DueOn)
}
