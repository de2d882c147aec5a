package httpapi

// programRow is a grant programme with its budget use, as the programmes
// page lists it (it lived beside the unit pages, which moved to
// pages/members).
type programRow struct {
	grantProgram
	Allocation        int64 `json:"allocation"`
	Committed         int64 `json:"committed"`
	Disbursed         int64 `json:"disbursed"`
	Remaining         int64 `json:"remaining"`
	DualApprovalAbove int64 `json:"dual_approval_above"`
	Recurring         bool  `json:"recurring"`
}
