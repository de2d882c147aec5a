package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/services/gateway/web"
)

// notifyPreferences is the preferences as notify reads and writes them.
type notifyPreferences struct {
	Email             string              `json:"email"`
	Mobile            string              `json:"mobile"`
	Channels          map[string][]string `json:"channels"`
	QuietStart        string              `json:"quiet_start"`
	QuietEnd          string              `json:"quiet_end"`
	Version           int64               `json:"version,omitempty"`
	Kinds             []string            `json:"kinds,omitempty"`
	AvailableChannels []string            `json:"available_channels,omitempty"`
}

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

// preferencesTarget is the notify API path of the settings a page is for,
// and the page's own address: the signed-in person's, or (under
// /admin/users/:id) the person an admin sets them for.
func preferencesTarget(c *gin.Context) (api, page string) {
	if id := c.Param("id"); id != "" {
		return notifyAPI + "/admin/users/" + url.PathEscape(id) + "/preferences", "/admin/users/" + url.PathEscape(id) + "/notifications"
	}
	return notifyAPI + "/preferences", "/account/notifications"
}

func (h *handlers) loadPreferences(c *gin.Context) (notifyPreferences, bool) {
	var p notifyPreferences
	api, _ := preferencesTarget(c)
	if _, err := h.call(c, http.MethodGet, "notify", api, 0, nil, &p); err != nil {
		h.serviceFailed(c, err)
		return p, false
	}
	return p, true
}

func (h *handlers) notifyPreferencesPage(c *gin.Context) {
	prefs, ok := h.loadPreferences(c)
	if !ok {
		return
	}
	form := web.NewForm().Set("email", prefs.Email).Set("mobile", prefs.Mobile).
		Set("quiet_start", prefs.QuietStart).Set("quiet_end", prefs.QuietEnd)
	var flash *web.Message
	if c.Query("m") == "saved" {
		m := web.Msg("web.notify_prefs.saved")
		flash = &m
	}
	h.renderPreferences(c, http.StatusOK, prefs, form, nil, flash)
}

// renderPreferences draws the form; chosen, when set, are the checkboxes
// as posted (a refused form keeps them).
func (h *handlers) renderPreferences(c *gin.Context, status int, prefs notifyPreferences, form *web.Form, chosen map[string]bool, flash *web.Message) {
	p := h.page(c, "web.notify_prefs.title")
	p.Form, p.Flash = form, flash
	_, action := preferencesTarget(c)
	d := preferencesData{Action: action, Version: prefs.Version, Channels: prefs.AvailableChannels}
	for _, k := range prefs.Kinds {
		row := prefRow{Kind: k}
		current, set := prefs.Channels[k]
		if !set {
			current = []string{"email"} // notify's default for a kind left out
		}
		for _, ch := range prefs.AvailableChannels {
			name := "ch." + k + "." + ch
			checked := slices.Contains(current, ch)
			if chosen != nil {
				checked = chosen[name]
			}
			row.Cells = append(row.Cells, prefCell{Name: name, Channel: ch, Checked: checked})
		}
		d.Rows = append(d.Rows, row)
	}
	p.Data = d
	h.render(c, status, "notify_preferences", p)
}

func (h *handlers) saveNotifyPreferences(c *gin.Context) {
	prefs, ok := h.loadPreferences(c)
	if !ok {
		return
	}
	body := notifyPreferences{Email: c.PostForm("email"), Mobile: c.PostForm("mobile"),
		QuietStart: c.PostForm("quiet_start"), QuietEnd: c.PostForm("quiet_end"), Channels: map[string][]string{}}
	chosen := map[string]bool{}
	for _, k := range prefs.Kinds {
		body.Channels[k] = []string{}
		for _, ch := range prefs.AvailableChannels {
			name := "ch." + k + "." + ch
			if c.PostForm(name) == "on" {
				chosen[name] = true
				body.Channels[k] = append(body.Channels[k], ch)
			}
		}
	}
	var version int64
	if v := c.PostForm("version"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			h.errorPage(c, http.StatusBadRequest, "web.error.400")
			return
		}
		version = n
	}
	form := web.NewForm().Set("email", body.Email).Set("mobile", body.Mobile).
		Set("quiet_start", body.QuietStart).Set("quiet_end", body.QuietEnd)
	api, page := preferencesTarget(c)
	if _, err := h.call(c, http.MethodPut, "notify", api, version, body, nil); err != nil {
		if problemOnForm(err, form, nil) {
			h.renderPreferences(c, http.StatusUnprocessableEntity, prefs, form, chosen, nil)
			return
		}
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, page+"?m=saved")
}

// failedDelivery is one delivery waiting for an admin.
type failedDelivery struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Channel   string    `json:"channel"`
	State     string    `json:"state"`
	Attempts  int       `json:"attempts"`
	LastError string    `json:"last_error"`
	CreatedAt time.Time `json:"created_at"`
}

type deliveriesData struct {
	Items []failedDelivery
	Pager pager
}

func (h *handlers) deliveriesPage(c *gin.Context) {
	path := notifyAPI + "/admin/deliveries"
	if a := c.Query("after"); a != "" {
		path += "?" + url.Values{"after": {a}}.Encode()
	}
	var out struct {
		Items []failedDelivery `json:"items"`
		Next  string           `json:"next"`
	}
	if _, err := h.call(c, http.MethodGet, "notify", path, 0, nil, &out); err != nil {
		h.serviceFailed(c, err)
		return
	}
	p := h.page(c, "web.deliveries.title")
	if c.Query("m") == "replayed" {
		m := web.Msg("web.deliveries.replayed")
		p.Flash = &m
	}
	p.Data = deliveriesData{Items: out.Items, Pager: pagerFor(c, "deliveries", "after", out.Next)}
	h.render(c, http.StatusOK, "deliveries", p)
}

func (h *handlers) replayDelivery(c *gin.Context) {
	if _, err := h.call(c, http.MethodPost, "notify", notifyAPI+"/admin/deliveries/"+url.PathEscape(c.Param("id"))+"/replay", 0, nil, nil); err != nil {
		h.serviceFailed(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/admin/deliveries?m=replayed")
}
