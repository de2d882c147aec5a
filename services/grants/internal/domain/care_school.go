package domain

import (
	"slices"
	"time"
)

// SchoolStage is a stage of a child's schooling.
type SchoolStage string

// School stages and the age a child enters each (义务教育法 art. 11 for
// primary school at six; the others follow the 6-3-3 system and the usual
// age of university entry).
const (
	StagePrimary      SchoolStage = "primary"
	StageJuniorMiddle SchoolStage = "junior_middle"
	StageSeniorMiddle SchoolStage = "senior_middle"
	StageUniversity   SchoolStage = "university"
)

// SchoolStages are the stages in order with their entry ages.
var SchoolStages = []struct {
	Stage SchoolStage
	Age   int
}{{StagePrimary, 6}, {StageJuniorMiddle, 12}, {StageSeniorMiddle, 15}, {StageUniversity, 18}}

// SchoolEntry is when a child enters a stage: 1 September of the first
// year by whose 1 September the child has reached the stage's age.
type SchoolEntry struct {
	Stage   SchoolStage
	EntryOn time.Time
}

// SchoolEntries are a child's entries into each stage, from their birth
// date. A child whose birthday falls on or before 1 September reaches the
// age in time that year; a child born after it, the year after.
func SchoolEntries(birth time.Time) []SchoolEntry {
	out := make([]SchoolEntry, 0, len(SchoolStages))
	for _, s := range SchoolStages {
		year := birth.Year() + s.Age
		if birth.Month() > time.September || (birth.Month() == time.September && birth.Day() > 1) {
			year++
		}
		out = append(out, SchoolEntry{Stage: s.Stage, EntryOn: time.Date(year, time.September, 1, 0, 0, 0, 0, time.UTC)})
	}
	return out
}

// SchoolPromptLead is how long before an entry the family's liaisons are
// prompted: a full school year, so enrolment, a transfer or tuition can
// be prepared in time.
const SchoolPromptLead = 365 * 24 * time.Hour

// SchoolPrompt is an upcoming entry of a child of the family.
type SchoolPrompt struct {
	PersonID string
	Name     string
	Stage    SchoolStage
	EntryOn  time.Time
}

// SchoolPrompts lists the entries of the family's children that fall
// after today and within SchoolPromptLead of it, soonest first.
func SchoolPrompts(rec CareRecord, today time.Time) []SchoolPrompt {
	var out []SchoolPrompt
	for _, p := range rec.Persons {
		if p.Relation != "child" || p.BirthDate.IsZero() {
			continue
		}
		for _, e := range SchoolEntries(p.BirthDate) {
			if e.EntryOn.After(today) && !e.EntryOn.After(today.Add(SchoolPromptLead)) {
				out = append(out, SchoolPrompt{PersonID: p.ID, Name: p.Name, Stage: e.Stage, EntryOn: e.EntryOn})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b SchoolPrompt) int { return a.EntryOn.Compare(b.EntryOn) })
	return out
}
