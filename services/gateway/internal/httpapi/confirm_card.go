package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// confirmCard is the second step of an action that cannot be taken back
// with one click: the page shows, changing nothing, exactly what will
// happen and one button that sends the form again with confirm=yes.
type confirmCard struct {
	Text   web.Message
	Hint   string // a catalogue key, optional
	Action string // the form's address
	Hidden []hiddenField
	Button string // catalogue key
	Back   string // where "No, go back" leads
	// Reason asks for a reason (the ledger's reversal), with its value
	// and errors in the page's form.
	Reason bool
}

// confirmed reports whether the form was sent from a confirmation card.
func confirmed(c *gin.Context) bool { return c.PostForm("confirm") == "yes" }
