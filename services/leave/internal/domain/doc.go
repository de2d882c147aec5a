// Package domain holds the rules of the leave service as plain Go: paid annual
// leave (entitlement, work calendar, balance ledger, requests, year-end
// rollover, unused-days compensation), recuperation stays (疗养) and yearly
// health checks.
//
// It imports only the standard library and pkg/money, pkg/clock: adapters
// (HTTP, store, events) call into it, never the other way round. Dates are
// time.Time values at midnight UTC that stand for a calendar date in
// Asia/Shanghai (the form clock.Today returns and PostgreSQL `date` columns
// scan into).
//
// Regulations cited in comments:
//   - 职工带薪年休假条例 (国务院令第514号, 2007), "the Regulation";
//   - 机关事业单位工作人员带薪年休假实施办法 (人事部令第9号, 2008), "the civil-service measures";
//   - 企业职工带薪年休假实施办法 (人社部令第1号, 2008), "the enterprise measures",
//     which govern auxiliary police (labour-contract staff).
package domain
