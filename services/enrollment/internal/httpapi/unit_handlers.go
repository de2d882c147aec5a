package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/page"
	"github.com/anxin-welfare/anxin/services/enrollment/internal/domain"
)

func (h *Handler) listUnits(c *gin.Context) {
	pr, err := page.FromQuery(c.Request.URL.Query())
	if err != nil {
		fail(c, err)
		return
	}
	units, next, err := h.store.Units(c.Request.Context(), pr)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]unitResponse, len(units))
	for i, u := range units {
		out[i] = toUnit(u)
	}
	c.JSON(http.StatusOK, gin.H{"units": out, "next": next})
}

func (h *Handler) getUnit(c *gin.Context) {
	u, err := h.store.GetUnit(c.Request.Context(), c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, u.Version)
	c.JSON(http.StatusOK, toUnit(u))
}

func (h *Handler) createUnit(c *gin.Context) {
	var req unitRequest
	if err := httpx.BindJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	u, err := h.cmd.CreateUnit(c.Request.Context(), domain.UnitInput{Code: req.Code, ParentID: req.ParentID, Name: req.Name,
		Kind: domain.UnitKind(req.Kind)}, meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, u.Version)
	c.JSON(http.StatusCreated, toUnit(u))
}

func (h *Handler) updateUnit(c *gin.Context) {
	version, err := httpx.RequireIfMatch(c)
	if err != nil {
		fail(c, err)
		return
	}
	req, ok := bind[unitRequest](c)
	if !ok {
		return
	}
	u, err := h.cmd.UpdateUnit(c.Request.Context(), c.Param("id"), version, domain.UnitInput{Code: req.Code, ParentID: req.ParentID,
		Name: req.Name, Kind: domain.UnitKind(req.Kind)}, meta(c))
	if err != nil {
		fail(c, err)
		return
	}
	httpx.SetETag(c, u.Version)
	c.JSON(http.StatusOK, toUnit(u))
}
