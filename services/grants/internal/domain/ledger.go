package domain

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anxin-welfare/anxin/pkg/fielderr"
	"github.com/anxin-welfare/anxin/pkg/money"
)

// AccountKind is the element of 政府会计制度 an account belongs to; it fixes
// the account's normal balance side.
type AccountKind string

// Account kinds. Budget accounts (6xxx, 7xxx, 8xxx) run beside the accrual
// ones (1xxx–5xxx): 政府会计制度 keeps both bases. Memo accounts track the
// budget commitment, which has no entry of its own in the statute.
const (
	KindAsset         AccountKind = "asset"
	KindLiability     AccountKind = "liability"
	KindNetAssets     AccountKind = "net_assets"
	KindRevenue       AccountKind = "revenue"
	KindExpense       AccountKind = "expense"
	KindBudgetRevenue AccountKind = "budget_revenue"
	KindBudgetExpense AccountKind = "budget_expense"
	KindBudgetBalance AccountKind = "budget_balance"
	KindMemo          AccountKind = "memo"
)

// Valid reports whether k is known.
func (k AccountKind) Valid() bool {
	switch k {
	case KindAsset, KindLiability, KindNetAssets, KindRevenue, KindExpense, KindBudgetRevenue, KindBudgetExpense, KindBudgetBalance, KindMemo:
		return true
	}
	return false
}

// Side is a side of the ledger: debit (借) or credit (贷).
type Side string

// The two sides.
const (
	SideDebit  Side = "debit"
	SideCredit Side = "credit"
)

// Valid reports whether s is debit or credit.
func (s Side) Valid() bool { return s == SideDebit || s == SideCredit }

// NormalSide is the side a balance of kind k normally sits on. Memo
// accounts have none by kind (a memo pair has one of each): their side is
// set per account, and a memo account without one is taken as debit.
func (k AccountKind) NormalSide() Side {
	switch k {
	case KindLiability, KindNetAssets, KindRevenue, KindBudgetRevenue:
		return SideCredit
	}
	return SideDebit
}

// Account is one account of the chart.
type Account struct {
	Code   string      `json:"code"`
	NameZH string      `json:"name_zh"`
	NameEN string      `json:"name_en"`
	Kind   AccountKind `json:"kind"`
	// Normal is the side its balance is shown positive on (借 or 贷):
	// 9101 已承诺资助 debit, its contra 9102 credit.
	Normal Side `json:"normal_side"`
	// Confirmed marks the accounts DOMAIN.md confirms from 财会〔2017〕25号;
	// the others are configurable and an admin may rename or replace them.
	Confirmed bool `json:"confirmed"`
}

// Account codes the fund's postings use. The first five are confirmed in
// DOMAIN.md; the rest are configurable defaults.
const (
	Acct1011 = "1011" // 零余额账户用款额度
	Acct4001 = "4001" // 财政拨款收入
	Acct5001 = "5001" // 业务活动费用
	Acct6001 = "6001" // 财政拨款预算收入
	Acct7101 = "7101" // 行政支出 (economic class 303 对个人和家庭的补助)
	// Acct2307 is the payable to grantees between disbursement and payment
	// (configurable; 政府会计制度 其他应付款).
	Acct2307 = "2307"
	// Acct8001 is the budget-basis cash counterpart (资金结存, configurable).
	Acct8001 = "8001"
	// Acct9101 and Acct9102 are the memo pair that carries the commitment
	// made at approval until disbursement releases it (configurable).
	Acct9101 = "9101"
	Acct9102 = "9102"
)

// DefaultChart is the chart of accounts a new installation starts with.
func DefaultChart() []Account {
	return []Account{
		{Code: Acct1011, NameZH: "零余额账户用款额度", NameEN: "Zero-balance account quota", Kind: KindAsset, Confirmed: true},
		{Code: Acct2307, NameZH: "其他应付款", NameEN: "Other payables", Kind: KindLiability},
		{Code: Acct4001, NameZH: "财政拨款收入", NameEN: "Fiscal appropriation revenue", Kind: KindRevenue, Confirmed: true},
		{Code: Acct5001, NameZH: "业务活动费用", NameEN: "Operating expenses", Kind: KindExpense, Confirmed: true},
		{Code: Acct6001, NameZH: "财政拨款预算收入", NameEN: "Fiscal appropriation budget revenue", Kind: KindBudgetRevenue, Confirmed: true},
		{Code: Acct7101, NameZH: "行政支出", NameEN: "Administrative expenditure", Kind: KindBudgetExpense, Confirmed: true},
		{Code: Acct8001, NameZH: "资金结存", NameEN: "Fund balance", Kind: KindBudgetBalance},
		{Code: Acct9101, NameZH: "已承诺资助（备查）", NameEN: "Committed grants (memo)", Kind: KindMemo, Normal: SideDebit},
		{Code: Acct9102, NameZH: "资助承诺对冲（备查）", NameEN: "Commitment contra (memo)", Kind: KindMemo, Normal: SideCredit},
	}
}

// NormalSide is the side a's balance is shown positive on: its own when
// set, else its kind's.
func (a Account) NormalSide() Side {
	if a.Normal.Valid() {
		return a.Normal
	}
	return a.Kind.NormalSide()
}

// Line is one debit or credit of an entry. Exactly one of Debit and Credit
// is positive.
type Line struct {
	AccountCode   string    `json:"account_code"`
	Debit         money.Fen `json:"debit"`
	Credit        money.Fen `json:"credit"`
	ProgramID     string    `json:"program_id,omitempty"`
	ApplicationID string    `json:"application_id,omitempty"`
}

// EntryKind says what business event an entry records.
type EntryKind string

// Entry kinds, in the order money moves.
const (
	EntryAppropriation EntryKind = "appropriation" // appropriation received
	EntryCommitment    EntryKind = "commitment"    // budget committed at final approval
	EntryRelease       EntryKind = "release"       // unused commitment given back (a stopped recurring grant)
	EntryDisbursement  EntryKind = "disbursement"  // expense and payable; commitment released
	EntryPayment       EntryKind = "payment"       // payable paid from the quota
	EntryReversal      EntryKind = "reversal"      // the mirror of an earlier entry
)

// Entry is a balanced journal entry. The voucher number is assigned by the
// store, gap-free per fiscal year, in the transaction that inserts it.
type Entry struct {
	ID         string
	FiscalYear int
	VoucherNo  int64
	Date       time.Time
	Kind       EntryKind
	Summary    string
	Lines      []Line
	ReversalOf string
	CreatedBy  string
	CreatedAt  time.Time
}

// Voucher formats the voucher number as 记-<year>-<000001>.
func Voucher(fiscalYear int, no int64) string {
	return fmt.Sprintf("记-%d-%06d", fiscalYear, no)
}

// Totals returns the entry's debit and credit sums.
func (e Entry) Totals() (debit, credit money.Fen, err error) {
	for _, l := range e.Lines {
		if debit, err = money.Add(debit, l.Debit); err != nil {
			return 0, 0, err
		}
		if credit, err = money.Add(credit, l.Credit); err != nil {
			return 0, 0, err
		}
	}
	return debit, credit, nil
}

// Validate checks the entry against the chart: two lines at least, every
// line one-sided and positive on an account of the chart, debits equal to
// credits. The database checks balance again at commit.
func (e Entry) Validate(chart []Account) error {
	var p fielderr.List
	if e.FiscalYear < 2000 || e.FiscalYear > 2999 {
		p.Add("fiscal_year", CodeOutOfRange, 2000, 2999)
	}
	if e.Date.IsZero() {
		p.Add("date", CodeRequired)
	}
	if strings.TrimSpace(e.Summary) == "" {
		p.Add("summary", CodeRequired)
	} else if len([]rune(e.Summary)) > MaxNameLen {
		p.Add("summary", CodeTooLong, MaxNameLen)
	}
	if len(e.Lines) < 2 {
		p.Add("lines", "grants.ledger.too_few_lines")
	}
	for i, l := range e.Lines {
		field := "lines[" + strconv.Itoa(i) + "]"
		if !slices.ContainsFunc(chart, func(a Account) bool { return a.Code == l.AccountCode }) {
			p.Add(field+".account_code", "grants.field.unknown_account", l.AccountCode)
		}
		if l.Debit < 0 || l.Credit < 0 {
			p.Add(field, CodeNegative)
		} else if (l.Debit == 0) == (l.Credit == 0) {
			p.Add(field, "grants.ledger.one_sided")
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	d, c, err := e.Totals()
	if err != nil {
		return err
	}
	if d != c {
		return ErrUnbalanced.With(d.String(), c.String())
	}
	return nil
}

// Reverse builds the reversal of e: the same lines with sides swapped,
// dated on day. Entries are immutable; a correction is a reversal plus a
// new entry (财会〔2017〕25号).
func (e Entry) Reverse(day time.Time, by string) Entry {
	lines := make([]Line, len(e.Lines))
	for i, l := range e.Lines {
		l.Debit, l.Credit = l.Credit, l.Debit
		lines[i] = l
	}
	return Entry{
		FiscalYear: day.Year(),
		Date:       day,
		Kind:       EntryReversal,
		Summary:    "冲销 " + Voucher(e.FiscalYear, e.VoucherNo) + " " + e.Summary,
		Lines:      lines,
		ReversalOf: e.ID,
		CreatedBy:  by,
	}
}

func pair(dr, cr string, amt money.Fen, program, app string) []Line {
	return []Line{
		{AccountCode: dr, Debit: amt, ProgramID: program, ApplicationID: app},
		{AccountCode: cr, Credit: amt, ProgramID: program, ApplicationID: app},
	}
}

// AppropriationEntry records the fiscal appropriation of a fund (or a
// program's share of it) on both bases: Dr 1011 / Cr 4001 (accrual) and
// Dr 8001 / Cr 6001 (budget).
func AppropriationEntry(fiscalYear int, day time.Time, amt money.Fen, programID, summary string) Entry {
	return Entry{FiscalYear: fiscalYear, Date: day, Kind: EntryAppropriation, Summary: summary,
		Lines: append(pair(Acct1011, Acct4001, amt, programID, ""), pair(Acct8001, Acct6001, amt, programID, "")...)}
}

// CommitmentEntry records the commitment made at final approval on the
// memo pair: Dr 9101 / Cr 9102.
func CommitmentEntry(fiscalYear int, day time.Time, amt money.Fen, programID, applicationID, summary string) Entry {
	return Entry{FiscalYear: fiscalYear, Date: day, Kind: EntryCommitment, Summary: summary,
		Lines: pair(Acct9101, Acct9102, amt, programID, applicationID)}
}

// ReleaseEntry gives back a commitment that will never be paid (a
// recurring grant stopped before the months committed for): Dr 9102 / Cr 9101.
func ReleaseEntry(fiscalYear int, day time.Time, amt money.Fen, programID, applicationID, summary string) Entry {
	return Entry{FiscalYear: fiscalYear, Date: day, Kind: EntryRelease, Summary: summary,
		Lines: pair(Acct9102, Acct9101, amt, programID, applicationID)}
}

// DisbursementEntry records the expense and the payable to the grantee
// (Dr 5001 / Cr 2307) and releases the commitment (Dr 9102 / Cr 9101).
func DisbursementEntry(fiscalYear int, day time.Time, amt money.Fen, programID, applicationID, summary string) Entry {
	return Entry{FiscalYear: fiscalYear, Date: day, Kind: EntryDisbursement, Summary: summary,
		Lines: append(pair(Acct5001, Acct2307, amt, programID, applicationID), pair(Acct9102, Acct9101, amt, programID, applicationID)...)}
}

// PaymentEntry records the payment of the payable from the quota
// (Dr 2307 / Cr 1011) and the budget expenditure (Dr 7101 / Cr 8001).
func PaymentEntry(fiscalYear int, day time.Time, amt money.Fen, programID, applicationID, summary string) Entry {
	return Entry{FiscalYear: fiscalYear, Date: day, Kind: EntryPayment, Summary: summary,
		Lines: append(pair(Acct2307, Acct1011, amt, programID, applicationID), pair(Acct7101, Acct8001, amt, programID, applicationID)...)}
}

// BalanceRow is one account's line in a trial balance.
type BalanceRow struct {
	Account Account
	Debit   money.Fen // sum of debits
	Credit  money.Fen // sum of credits
	// Balance is signed on the account's normal side (Account.NormalSide):
	// positive is a normal balance, negative one on the other side.
	Balance money.Fen
}

// TrialBalance sums lines per account, in chart order; the debit and credit
// columns of the result are equal when every entry balanced.
type TrialBalance struct {
	Rows        []BalanceRow
	TotalDebit  money.Fen
	TotalCredit money.Fen
}

// Balanced reports whether total debits equal total credits.
func (t TrialBalance) Balanced() bool { return t.TotalDebit == t.TotalCredit }

// AccountSum is the per-account sum the store aggregates in SQL.
type AccountSum struct {
	Code   string
	Debit  money.Fen
	Credit money.Fen
}

// BuildTrialBalance turns per-account sums into a trial balance in chart order.
func BuildTrialBalance(chart []Account, sums []AccountSum) (TrialBalance, error) {
	by := make(map[string]AccountSum, len(sums))
	for _, s := range sums {
		by[s.Code] = s
	}
	var tb TrialBalance
	var err error
	for _, a := range chart {
		s, ok := by[a.Code]
		if !ok {
			continue
		}
		bal := s.Debit - s.Credit
		if a.NormalSide() == SideCredit {
			bal = -bal
		}
		tb.Rows = append(tb.Rows, BalanceRow{Account: a, Debit: s.Debit, Credit: s.Credit, Balance: bal})
		if tb.TotalDebit, err = money.Add(tb.TotalDebit, s.Debit); err != nil {
			return TrialBalance{}, err
		}
		if tb.TotalCredit, err = money.Add(tb.TotalCredit, s.Credit); err != nil {
			return TrialBalance{}, err
		}
	}
	return tb, nil
}

// FundPosition is a fund's or a program's money at a date.
type FundPosition struct {
	ProgramID    string    `json:"program_id,omitempty"`
	Appropriated money.Fen `json:"appropriated"`
	Committed    money.Fen `json:"committed"`
	Disbursed    money.Fen `json:"disbursed"`
	Remaining    money.Fen `json:"remaining"`
}

// PositionFromSums derives a position from ledger sums, so it holds at
// any date and survives reversals: appropriated is the net credit of 4001;
// disbursed the net debit of 5001; the memo account 9101 carries what is
// committed and not yet disbursed, so committed = its net debit + disbursed.
func PositionFromSums(programID string, sums []AccountSum) FundPosition {
	p := FundPosition{ProgramID: programID}
	var outstanding money.Fen
	for _, s := range sums {
		switch s.Code {
		case Acct4001:
			p.Appropriated = s.Credit - s.Debit
		case Acct9101:
			outstanding = s.Debit - s.Credit
		case Acct5001:
			p.Disbursed = s.Debit - s.Credit
		}
	}
	p.Committed = outstanding + p.Disbursed
	p.Remaining = p.Appropriated - p.Committed
	return p
}
