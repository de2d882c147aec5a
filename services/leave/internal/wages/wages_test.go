package wages_test

import (
	"errors"
	"testing"

	"github.com/anxin-welfare/anxin/services/leave/internal/domain"
	"github.com/anxin-welfare/anxin/services/leave/internal/wages"
)

func TestDecodeFindsColumnsByName(t *testing.T) {
	t.Parallel()
	// The template's headers, in another order, tab-separated, with an
	// unread column and a blank line.
	rows, err := wages.Decode([]byte("单位\t月平均工资（元）\t姓名\t人员编号\n一所\t4200\t李四\tm2\n\n"), wages.FormatCSV)
	if err != nil || len(rows) != 1 || rows[0] != (wages.Row{Line: 2, MemberID: "m2", Name: "李四", MonthlyWage: "4200"}) {
		t.Fatalf("rows %+v, %v", rows, err)
	}
	for name, data := range map[string]string{
		"no id column":     "姓名,全年工资收入\n张三,1\n",
		"no amount column": "人员编号,姓名\nm1,张三\n",
		"header only":      "人员编号,全年工资收入\n",
	} {
		var fe *wages.FileError
		if _, err := wages.Decode([]byte(data), wages.FormatCSV); !errors.As(err, &fe) {
			t.Errorf("%s: %v, want a file error", name, err)
		}
	}
}

func TestCheckNeedsTheCategorysBasis(t *testing.T) {
	t.Parallel()
	members := map[string]domain.Member{
		"m1": {ID: "m1", Name: "张三", Category: domain.Category("police")},
		"a1": {ID: "a1", Name: "王五", Category: domain.CategoryAuxiliary},
	}
	entries, ps := wages.Check([]wages.Row{
		{Line: 2, MemberID: "m1", Name: "张三", AnnualPay: "96,000.00"},
		{Line: 3, MemberID: "a1", AnnualPay: "50000"},
		{Line: 4, MemberID: "m1", Name: "李四", AnnualPay: "1"},
		{Line: 5, MemberID: "", AnnualPay: "-3"},
	}, members)
	if len(entries) != 1 || entries[0].Pay.AnnualPay != 9600000 {
		t.Fatalf("entries %+v", entries)
	}
	want := map[[2]any]string{
		{3, wages.ColMonthlyWage}: wages.CodeNeedsMonthly, {4, wages.ColMemberID}: wages.CodeDuplicate, {4, wages.ColName}: wages.CodeNameMismatch,
		{5, wages.ColMemberID}: wages.CodeRequired, {5, wages.ColAnnualPay}: wages.CodeMoney,
	}
	if len(ps) != len(want) {
		t.Fatalf("problems %+v", ps)
	}
	for _, p := range ps {
		if want[[2]any{p.Line, p.Field}] != p.Code {
			t.Errorf("unexpected %+v", p)
		}
	}
}
