// Package domain is the member registry and insurance enrollment of Anxin as
// plain Go: who the members are (units, members, dependants, beneficiaries,
// honours, status), which insurance plans exist, who is enrolled in which
// plan for which period, and whether a member was covered on a given day.
//
// It imports only the standard library and pkg/money, pkg/clock and
// pkg/idcard; storage, HTTP and messaging adapt to it, never the other way
// round. Every refusal carries a stable message-catalogue key (see Code and
// fielderr.Problem) so the adapters can answer in Chinese or English.
//
// Dates are time.Time values at midnight UTC of the calendar date (the form
// clock.Today returns and PostgreSQL's date type round-trips).
package domain
