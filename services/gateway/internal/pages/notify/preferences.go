package notify

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/api/client"
	notifyapi "github.com/anxin-welfare/anxin/api/client/notify"
	"github.com/anxin-welfare/anxin/services/gateway/internal/webkit"
	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// prefCell is one checkbox of the kinds × channels table.
type prefCell struct {
	Name    string // ch.<kind>.<channel>
	Channel string
	Checked bool
}

type prefRow struct {
	Kind  string
	Cells []prefCell
}

type preferencesData struct {
	// Action is where the form posts: the person's own settings, or an
	// admin's form for someone else.
	Action   string
	Version  int64
	Channels []string
	Rows     []prefRow
}

// preferencesPath is the page's own address: the signed-in person's
// settings, or (under /admin/users/:id) those of the person an admin sets
// them for.
func preferencesPath(c *gin.Context) string {
	if id := c.Param("id"); id != "" {
		return "/admin/users/" + url.PathEscape(id) + "/notifications"
	}
	return "/account/notifications"
}

// loadPreferences reads the settings the page is for, or shows the page
// for the refusal (and false).
func (a *area) loadPreferences(c *gin.Context, api *notifyapi.ClientWithResponses) (*notifyapi.PreferencesView, bool) {
	var view *notifyapi.PreferencesView
	var err error
	if id := c.Param("id"); id != "" {
		var r *notifyapi.GetUserPreferencesResponse
		if r, err = api.GetUserPreferencesWithResponse(c.Request.Context(), id); err == nil {
			view = r.JSON200
		}
	} else {
		var r *notifyapi.GetPreferencesResponse
		if r, err = api.GetPreferencesWithResponse(c.Request.Context()); err == nil {
			view = r.JSON200
		}
	}
	if err == nil && view == nil {
		err = orUnexpected(nil)
	}
	if err != nil {
		a.ServiceFailed(c, err)
		return nil, false
	}
	return view, true
}

func (a *area) preferencesPage(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	prefs, ok := a.loadPreferences(c, api)
	if !ok {
		return
	}
	form := web.NewForm().Set("email", prefs.Email).Set("mobile", prefs.Mobile).
		Set("quiet_start", prefs.QuietStart).Set("quiet_end", prefs.QuietEnd)
	var flash *web.Message
	if c.Query("m") == "saved" {
		flash = webkit.Flash("web.notify_prefs.saved")
	}
	a.renderPreferences(c, http.StatusOK, prefs, form, nil, flash)
}

// renderPreferences draws the form; chosen, when set, are the checkboxes
// as posted (a refused form keeps them).
func (a *area) renderPreferences(c *gin.Context, status int, prefs *notifyapi.PreferencesView, form *web.Form, chosen map[string]bool, flash *web.Message) {
	p := a.Page(c, "web.notify_prefs.title")
	p.Form, p.Flash = form, flash
	d := preferencesData{Action: preferencesPath(c), Version: int64(prefs.Version)}
	for _, ch := range prefs.AvailableChannels {
		d.Channels = append(d.Channels, string(ch))
	}
	for _, kind := range prefs.Kinds {
		k := string(kind)
		row := prefRow{Kind: k}
		current, set := prefs.Channels[k]
		if !set {
			current = []notifyapi.Channel{"email"} // notify's default for a kind left out
		}
		for _, ch := range d.Channels {
			name := "ch." + k + "." + ch
			checked := slices.Contains(current, notifyapi.Channel(ch))
			if chosen != nil {
				checked = chosen[name]
			}
			row.Cells = append(row.Cells, prefCell{Name: name, Channel: ch, Checked: checked})
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	a.Render(c, status, "notify_preferences", p)
}

func (a *area) savePreferences(c *gin.Context) {
	api, ok := a.client(c)
	if !ok {
		return
	}
	prefs, ok := a.loadPreferences(c, api)
	if !ok {
		return
	}
	email, mobile, quietStart, quietEnd := c.PostForm("email"), c.PostForm("mobile"), c.PostForm("quiet_start"), c.PostForm("quiet_end")
	channels := map[string][]notifyapi.Channel{}
	body := notifyapi.Preferences{Email: &email, Mobile: &mobile, QuietStart: &quietStart, QuietEnd: &quietEnd, Channels: &channels}
	chosen := map[string]bool{}
	for _, kind := range prefs.Kinds {
		k := string(kind)
		channels[k] = []notifyapi.Channel{}
		for _, ch := range prefs.AvailableChannels {
			name := "ch." + k + "." + string(ch)
			if c.PostForm(name) == "on" {
				chosen[name] = true
				channels[k] = append(channels[k], ch)
			}
		}
	}
	var ifMatch *string
	if v := c.PostForm("version"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			a.ErrorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		if n > 0 {
			tag := client.Tag(n)
			ifMatch = &tag
		}
	}
	form := web.NewForm().Set("email", email).Set("mobile", mobile).
		Set("quiet_start", quietStart).Set("quiet_end", quietEnd)
	var err error
	if id := c.Param("id"); id != "" {
		err = webkit.Done(api.PutUserPreferences(c.Request.Context(), id, &notifyapi.PutUserPreferencesParams{IfMatch: ifMatch}, body)) //nolint:bodyclose // webkit.Done drains and closes it
	} else {
		err = webkit.Done(api.PutPreferences(c.Request.Context(), &notifyapi.PutPreferencesParams{IfMatch: ifMatch}, body)) //nolint:bodyclose // webkit.Done drains and closes it
	}
	if err != nil {
		if webkit.ProblemOnForm(err, form, nil) {
			a.renderPreferences(c, http.StatusUnprocessableEntity, prefs, form, chosen, nil)
			return
		}
		a.ServiceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, preferencesPath(c)+"?m=saved")
}
