package webkit

import (
	"github.com/gin-gonic/gin"

	grantsapi "github.com/anxin-welfare/anxin/api/client/grants"
)

// GrantsDownload is Grants without the call timeout, for a file the page
// streams to the browser (an application's document).
func (k *Kit) GrantsDownload(c *gin.Context) (*grantsapi.ClientWithResponses, error) {
	server, d, err := k.doer(c, "grants", true)
	if err != nil {
		return nil, err
	}
	return grantsapi.NewClientWithResponses(server, grantsapi.WithHTTPClient(d))
}
