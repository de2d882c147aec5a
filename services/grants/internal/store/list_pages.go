package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

// The fund's catalogues page by key (PLATFORM.md, "Lists"), each on an
// index in its order: funds by year (newest first), programmes by code,
// rates by kind and date, accounts by code. The *Query builders are
// exported for the EXPLAIN guards.

func pageOf(p page.Request) page.Request {
	if p.Limit <= 0 || p.Limit > page.MaxLimit {
		p.Limit = page.DefaultLimit
	}
	return p
}

// FundsQuery lists funds newest year first, before afterYear when set.
func FundsQuery(limit, afterYear int) (string, []any) {
	q := `SELECT ` + fundCols + ` FROM funds`
	var args []any
	if afterYear != 0 {
		q += ` WHERE fiscal_year < $1`
		args = append(args, afterYear)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY fiscal_year DESC LIMIT $%d`, len(args)), args
}

// FundsPage lists a page of the funds, newest year first.
func (s *Store) FundsPage(ctx context.Context, p page.Request) ([]domain.Fund, string, error) {
	p = pageOf(p)
	var after int
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	q, args := FundsQuery(p.Fetch(), after)
	var rs []fundRow
	if err := s.DB.SelectContext(ctx, &rs, q, args...); err != nil {
		return nil, "", fmt.Errorf("funds: %w", err)
	}
	rs, next := page.Trim(p, rs, func(r fundRow) string { return page.Cursor(r.FiscalYear) })
	out := make([]domain.Fund, len(rs))
	for i, r := range rs {
		out[i] = r.domain()
	}
	return out, next, nil
}

// ProgramsQuery lists programmes by code (then id: a code repeats in each
// year's fund), of one fund and state when given, after (code, id) when
// afterCode is set; programs_code_keyset serves it.
func ProgramsQuery(limit int, fundID string, active *bool, afterCode, afterID string) (string, []any) {
	q := `SELECT ` + programCols + ` FROM programs WHERE ($1::uuid IS NULL OR fund_id = $1) AND ($2::boolean IS NULL OR active = $2)`
	args := []any{optID(fundID), active}
	if afterCode != "" {
		q += ` AND (code, id) > ($3, $4::uuid)`
		args = append(args, afterCode, afterID)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY code, id LIMIT $%d`, len(args)), args
}

// ProgramsPage lists a page of programmes by code, of one fund and state
// when given.
func (s *Store) ProgramsPage(ctx context.Context, fundID string, active *bool, p page.Request) ([]domain.Program, string, error) {
	if fundID != "" && !ValidID(fundID) {
		return nil, "", invalidID("fund_id")
	}
	p = pageOf(p)
	var code, id string
	ok, err := p.Decode(&code, &id)
	if err != nil {
		return nil, "", err
	}
	if ok && (code == "" || !ValidID(id)) {
		return nil, "", invalidID("after")
	}
	q, args := ProgramsQuery(p.Fetch(), fundID, active, code, id)
	var rs []programRow
	if err := sqlx.SelectContext(ctx, s.DB, &rs, q, args...); err != nil {
		return nil, "", fmt.Errorf("programs: %w", err)
	}
	rs, next := page.Trim(p, rs, func(r programRow) string { return page.Cursor(r.Code, r.ID) })
	out := make([]domain.Program, 0, len(rs))
	for _, r := range rs {
		pr, err := r.domain()
		if err != nil {
			return nil, "", err
		}
		out = append(out, pr)
	}
	return out, next, nil
}

// RatesQuery lists the dated parameters by kind and date, after (kind,
// date) when afterKind is set; the primary key serves it.
func RatesQuery(limit int, afterKind, afterFrom string) (string, []any) {
	q := `SELECT kind, valid_from, amount FROM rates`
	var args []any
	if afterKind != "" {
		q += ` WHERE (kind, valid_from) > ($1, $2::date)`
		args = append(args, afterKind, afterFrom)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY kind, valid_from LIMIT $%d`, len(args)), args
}

// RatesPage lists a page of the dated parameters by kind and date.
func (s *Store) RatesPage(ctx context.Context, p page.Request) ([]domain.Rate, string, error) {
	p = pageOf(p)
	var kind, from string
	ok, err := p.Decode(&kind, &from)
	if err != nil {
		return nil, "", err
	}
	if ok {
		if _, err := time.Parse(time.DateOnly, from); err != nil || kind == "" {
			return nil, "", invalidID("after")
		}
	}
	q, args := RatesQuery(p.Fetch(), kind, from)
	var rs []struct {
		Kind      string    `db:"kind"`
		ValidFrom time.Time `db:"valid_from"`
		Amount    int64     `db:"amount"`
	}
	if err := sqlx.SelectContext(ctx, s.DB, &rs, q, args...); err != nil {
		return nil, "", fmt.Errorf("rates: %w", err)
	}
	out := make([]domain.Rate, len(rs))
	for i, r := range rs {
		out[i] = domain.Rate{Kind: domain.RateKind(r.Kind), ValidFrom: r.ValidFrom.UTC(), Amount: money.Fen(r.Amount)}
	}
	out, next := page.Trim(p, out, func(r domain.Rate) string { return page.Cursor(string(r.Kind), r.ValidFrom.Format(time.DateOnly)) })
	return out, next, nil
}

// AccountsQuery lists the active accounts by code, after afterCode when
// set; the primary key serves it.
func AccountsQuery(limit int, afterCode string) (string, []any) {
	q := `SELECT code, name_zh, name_en, kind, normal_side, confirmed FROM accounts WHERE active`
	var args []any
	if afterCode != "" {
		q += ` AND code > $1`
		args = append(args, afterCode)
	}
	args = append(args, limit)
	return q + fmt.Sprintf(` ORDER BY code LIMIT $%d`, len(args)), args
}

// ChartPage lists a page of the chart of accounts by code.
func (s *Store) ChartPage(ctx context.Context, p page.Request) ([]domain.Account, string, error) {
	p = pageOf(p)
	var after string
	if _, err := p.Decode(&after); err != nil {
		return nil, "", err
	}
	q, args := AccountsQuery(p.Fetch(), after)
	var rs []struct {
		Code      string `db:"code"`
		NameZH    string `db:"name_zh"`
		NameEN    string `db:"name_en"`
		Kind      string `db:"kind"`
		Normal    string `db:"normal_side"`
		Confirmed bool   `db:"confirmed"`
	}
	if err := sqlx.SelectContext(ctx, s.DB, &rs, q, args...); err != nil {
		return nil, "", fmt.Errorf("chart: %w", err)
	}
	out := make([]domain.Account, len(rs))
	for i, r := range rs {
		out[i] = domain.Account{Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Kind: domain.AccountKind(r.Kind), Normal: domain.Side(r.Normal), Confirmed: r.Confirmed}
	}
	out, next := page.Trim(p, out, func(a domain.Account) string { return page.Cursor(a.Code) })
	return out, next, nil
}
