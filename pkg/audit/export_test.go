package audit

// ListSQL is List's query, for the planner guard in explain_test.go.
var ListSQL = listSQL
