package store

// CoverageSQL is the coverage query, for the planner guard in
// explain_test.go.
const CoverageSQL = coverageSQL
