package domain_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/anxin-welfare/anxin/pkg/money"
	"github.com/anxin-welfare/anxin/services/grants/internal/domain"
)

func TestUploadedKindCountsAsAttached(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		declared []string
		uploaded []string
		wantErr  bool
	}{
		{name: "nothing attached", wantErr: true},
		{name: "declared", declared: []string{"income_proof"}},
		{name: "uploaded", uploaded: []string{"income_proof"}},
		{name: "another kind uploaded", uploaded: []string{"photo"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := domain.Application{ID: "a", ProgramID: "p-1", MemberID: "m-1", ApplicantUserID: applicant.UserID, PreparedBy: applicant.UserID,
				State: domain.StateDraft, Round: 1, Documents: tt.declared, UploadedKinds: tt.uploaded}
			err := a.Submit(applicant, at, program(), domain.EligibilityResult{Eligible: true}, domain.Quote{Amount: money.Yuan(100)})
			if (err != nil) != tt.wantErr {
				t.Fatalf("submit: %v, want error %v", err, tt.wantErr)
			}
			if !tt.wantErr && strings.Join(a.Documents, ",") != strings.Join(tt.declared, ",") {
				t.Errorf("submission changed the declared documents to %v", a.Documents)
			}
		})
	}
}

func TestCheckUpload(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		state  domain.State
		actor  domain.Actor
		inUnit bool
		want   error
	}{
		{name: "applicant, draft", state: domain.StateDraft, actor: applicant},
		{name: "applicant, returned", state: domain.StateReturned, actor: applicant},
		{name: "applicant, submitted", state: domain.StateSubmitted, actor: applicant, want: domain.ErrTransition},
		{name: "caseworker of the unit, reviewed", state: domain.StateReviewed, actor: caseworker, inUnit: true},
		{name: "caseworker of the unit, approved", state: domain.StateApproved, actor: caseworker, inUnit: true, want: domain.ErrTransition},
		{name: "caseworker of another unit", state: domain.StateDraft, actor: caseworker, want: domain.ErrUploadNotAllowed},
		{name: "approver", state: domain.StateReviewed, actor: approverA, inUnit: true, want: domain.ErrUploadNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := domain.Application{ApplicantUserID: applicant.UserID, PreparedBy: applicant.UserID, MemberID: "m-1", State: tt.state}
			if err := a.CheckUpload(tt.actor, tt.inUnit); !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("CheckUpload = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSniffDocument(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		head []byte
		size int64
		want string
		err  error
	}{
		{name: "pdf", head: []byte("%PDF-1.7"), size: 100, want: domain.TypePDF},
		{name: "jpeg", head: []byte{0xFF, 0xD8, 0xFF, 0xE0}, size: 100, want: domain.TypeJPEG},
		{name: "html", head: []byte("<html>"), size: 6, err: domain.ErrDocumentType},
		{name: "too large", head: []byte("%PDF-"), size: domain.MaxDocumentBytes + 1, err: domain.ErrDocumentTooLarge},
		{name: "empty", size: 0, err: domain.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := domain.SniffDocument(tt.head, tt.size)
			if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Errorf("SniffDocument = %q %v, want %q %v", got, err, tt.want, tt.err)
			}
		})
	}
}
