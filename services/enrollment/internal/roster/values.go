package roster

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

// categoryLabels accepts the codes and the Chinese names people type.
var categoryLabels = map[string]domain.Category{
	"人民警察": domain.CategoryPolice, "民警": domain.CategoryPolice, "警察": domain.CategoryPolice,
	"司法警察": domain.CategoryJudicialPolice, "法警": domain.CategoryJudicialPolice,
	"法官": domain.CategoryJudge, "检察官": domain.CategoryProsecutor,
	"公务员": domain.CategoryCivilServant, "政法干部": domain.CategoryCivilServant, "行政人员": domain.CategoryCivilServant,
	"辅警": domain.CategoryAuxiliaryPolice, "警务辅助人员": domain.CategoryAuxiliaryPolice,
}

// parseCategory returns the category; an unknown text passes through so
// the domain reports it with its own code.
func parseCategory(s string) domain.Category {
	if c, ok := categoryLabels[s]; ok {
		return c
	}
	return domain.Category(strings.ToLower(s))
}

var auxDutyLabels = map[string]domain.AuxDuty{
	"": domain.AuxDutyNone, "勤务": domain.AuxDutyField, "勤务辅警": domain.AuxDutyField, "duty": domain.AuxDutyField,
	"文职": domain.AuxDutyCivilian, "文职辅警": domain.AuxDutyCivilian, "civilian": domain.AuxDutyCivilian,
}

func parseAuxDuty(s string) domain.AuxDuty {
	if d, ok := auxDutyLabels[strings.ToLower(s)]; ok {
		return d
	}
	return domain.AuxDuty(s)
}

// parseBool reads 是/否 and their usual spellings; empty is false.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "", "否", "不是", "n", "no", "false", "0", "×":
		return false, true
	case "是", "y", "yes", "true", "1", "√":
		return true, true
	}
	return false, false
}

var (
	dateSep   = regexp.MustCompile(`^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$`)
	dateDense = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
	serial    = regexp.MustCompile(`^\d{1,5}(\.\d+)?$`)
)

// parseDate reads 2008-07-01, 2008/7/1, 2008.7.1, 2008年7月1日, 20080701,
// and (from XLSX) an Excel serial date number. It reports false for
// anything else, including impossible dates such as 2008-02-30.
func parseDate(s string, excelSerial bool) (time.Time, bool) {
	if excelSerial && serial.MatchString(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 1 {
			return time.Time{}, false
		}
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return time.Time{}, false
		}
		y, m, d := t.Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true
	}
	parts := dateSep.FindStringSubmatch(s)
	if parts == nil {
		parts = dateDense.FindStringSubmatch(s)
	}
	if parts == nil {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(parts[1])
	m, _ := strconv.Atoi(parts[2])
	d, _ := strconv.Atoi(parts[3])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// looksNumeric reports an identity number Excel stored as a number: in
// scientific notation or with a decimal point, its last digits are lost.
func looksNumeric(s string) bool {
	return strings.ContainsAny(s, "Ee.") && strings.IndexFunc(s, func(r rune) bool {
		return (r < '0' || r > '9') && r != '.' && r != 'E' && r != 'e' && r != '+'
	}) < 0
}
