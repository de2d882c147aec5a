package pdfdoc

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/anxin-welfare/anxin/pkg/httpx"
	"github.com/anxin-welfare/anxin/pkg/i18n"
)

// ContentType is the media type of every printed document.
const ContentType = "application/pdf"

// CodeFontMissing is the problem code of a print refused because the font
// cannot be read: 503, the printing part of the service is unavailable until
// an operator installs it, and the title names the path.
const CodeFontMissing = "pdf_font_missing"

func init() {
	i18n.Register(map[string]i18n.Text{
		"problem." + CodeFontMissing: {ZH: "无法打印：找不到字体文件 %s（请安装 fonts-wqy-microhei 或设置 ANXIN_PDF_FONT）",
			EN: "Cannot print: the font file %s is missing (install fonts-wqy-microhei or set ANXIN_PDF_FONT)"},
	})
}

// Problem turns an error of New or Bytes into the problem to answer: 503
// naming the font for a *FontError, 500 otherwise.
func Problem(err error) *httpx.Error {
	var fe *FontError
	if errors.As(err, &fe) {
		return httpx.NewError(http.StatusServiceUnavailable, CodeFontMissing, fe.Path).WithExtra("font", fe.Path).WithCause(err)
	}
	return httpx.Internal(err)
}

// Send answers a finished document, shown in the browser (inline) under
// name (with an ASCII fallback), never cached: it holds personal data.
func Send(c *gin.Context, name, fallback string, doc []byte) {
	c.Header("Content-Disposition", strings.Replace(httpx.Attachment(name, fallback), "attachment", "inline", 1))
	c.Header("Cache-Control", "no-store")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, ContentType, doc)
}

// Write finishes d and sends it, or answers the problem.
func Write(c *gin.Context, d *Doc, name, fallback string) {
	b, err := d.Bytes()
	if err != nil {
		httpx.Respond(c, Problem(err))
		return
	}
	Send(c, name, fallback, b)
}
