package webkit

import (
	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
	injuryapi "github.com/anxin-welfare/anxin/api/client/injury"
)

// Areas stream files from grants and injury (a ledger export, the family
// care export, printed documents): their clients without the call timeout,
// as LeaveDownload is for leave's.

// GrantsDownload is Grants without the call timeout, for a file the page
// streams to the browser (the request's context bounds it).
func (k *Kit) GrantsDownload(c *gin.Context) (*grantsapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "grants", true)
	if err != nil {
		return nil, err
	}
	return grantsapi.NewClientWithResponses(server, grantsapi.WithHTTPClient(d))
}

// InjuryDownload is Injury without the call timeout, for a file the page
// streams to the browser.
func (k *Kit) InjuryDownload(c *gin.Context) (*injuryapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "injury", true)
	if err != nil {
		return nil, err
	}
	return injuryapi.NewClientWithResponses(server, injuryapi.WithHTTPClient(d))
}
