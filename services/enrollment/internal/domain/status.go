package domain

// Status is where a member is in their working life.
type Status string

// Member statuses. Deceased is final.
const (
	StatusActive   Status = "active"
	StatusRetired  Status = "retired"
	StatusLeft     Status = "left"
	StatusDeceased Status = "deceased"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusActive, StatusRetired, StatusLeft, StatusDeceased:
		return true
	}
	return false
}

// DeathCause is why a member died. It decides which grants the family may
// claim: line of duty and martyr deaths open the 20× (police 抚恤,
// 人民警察抚恤优待办法 art. 14) and 30× (烈士褒扬条例 art. 15) grants, illness the 2×.
type DeathCause string

// Causes of death.
const (
	CauseLineOfDuty DeathCause = "line_of_duty" // 因公牺牲
	CauseMartyr     DeathCause = "martyr"       // 烈士 (烈士褒扬条例 art. 8)
	CauseIllness    DeathCause = "illness"      // 病故
	CauseOther      DeathCause = "other"
)

// Valid reports whether c is a known cause.
func (c DeathCause) Valid() bool {
	switch c {
	case CauseLineOfDuty, CauseMartyr, CauseIllness, CauseOther:
		return true
	}
	return false
}

// OnDuty reports whether the death happened on duty, which only an active
// member can suffer.
func (c DeathCause) OnDuty() bool { return c == CauseLineOfDuty || c == CauseMartyr }

// HonourKind is an honour that raises the police one-time 抚恤金 (人民警察
// 抚恤优待办法 art. 16: +35 / 30 / 25 / 15 / 5 %; only the highest counts).
type HonourKind string

// Honours, highest first.
const (
	HonourNationalTitle   HonourKind = "national_title"   // 全国英雄模范称号
	HonourProvincialTitle HonourKind = "provincial_title" // 省级英雄模范称号
	HonourFirstClass      HonourKind = "merit_first"      // 一等功
	HonourSecondClass     HonourKind = "merit_second"     // 二等功
	HonourThirdClass      HonourKind = "merit_third"      // 三等功
)

// honourRank orders the honours; a lower rank is a higher honour.
var honourRank = map[HonourKind]int{
	HonourNationalTitle: 1, HonourProvincialTitle: 2,
	HonourFirstClass: 3, HonourSecondClass: 4, HonourThirdClass: 5,
}

// Valid reports whether k is a known honour.
func (k HonourKind) Valid() bool { _, ok := honourRank[k]; return ok }

// Higher reports whether k outranks other.
func (k HonourKind) Higher(other HonourKind) bool {
	if !other.Valid() {
		return k.Valid()
	}
	return k.Valid() && honourRank[k] < honourRank[other]
}
