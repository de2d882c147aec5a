package store

// SetAfterClaimCandidates sets the hook Claim runs between reading its
// candidates and locking one, for the test of that interleaving; the
// returned func removes it.
func SetAfterClaimCandidates(f func()) (reset func()) {
	afterClaimCandidates = f
	return func() { afterClaimCandidates = nil }
}
