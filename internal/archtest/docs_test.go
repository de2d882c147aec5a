package archtest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	mdLink   = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	codeSpan = regexp.MustCompile("`([^`\\s]+)`")
	heading  = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*$`)
	// docsName is a code span naming a document of the project's own.
	docsName = regexp.MustCompile(`^(\.\./)*docs/[A-Za-z0-9_-]+\.md$`)
)

// TestDocsStayInTheRepository: the README and docs/ are read by people
// who have this repository and nothing else, so every link and every
// path they name resolves inside it, to a file that exists (and, for a
// #fragment into a Markdown file, to a heading there).
func TestDocsStayInTheRepository(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(root, "README.md"))
	for _, want := range []string{"ARCHITECTURE.md", "DOMAIN.md", "PLATFORM.md"} {
		if _, err := os.Stat(filepath.Join(root, "docs", want)); err != nil {
			t.Errorf("docs/%s is missing", want)
		}
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, f)
		for _, p := range docProblems(root, f, string(raw)) {
			t.Errorf("%s: %s", rel, p)
		}
	}
}

// TestDocsCheckCatchesBadLinks: the check above can fail.
func TestDocsCheckCatchesBadLinks(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "docs"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "docs", "A.md"), []byte("# A\n\n## Lists: one way\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join(root, "README.md")
	for _, bad := range []string{
		"see `../shared/design/ARCHITECTURE.md`",
		"see [design](../shared/design/DOMAIN.md)",
		"see [gone](docs/GONE.md)",
		"see `docs/GONE.md`",
		"see [lists](docs/A.md#lists-two-ways)",
	} {
		if len(docProblems(root, readme, bad)) == 0 {
			t.Errorf("not caught: %s", bad)
		}
	}
	for _, good := range []string{
		"see [a](docs/A.md), `docs/A.md`, [lists](docs/A.md#lists-one-way) and [web](https://example.org/x)",
	} {
		if p := docProblems(root, readme, good); len(p) != 0 {
			t.Errorf("%s: %v", good, p)
		}
	}
}

// docProblems lists the links and paths in text (the file f) that leave
// root or name something that does not exist.
func docProblems(root, f, text string) []string {
	var out []string
	dir := filepath.Dir(f)
	check := func(target string, mustExist bool) {
		target, frag, _ := strings.Cut(target, "#")
		if target == "" {
			return // a fragment of this file
		}
		p := filepath.Clean(filepath.Join(dir, filepath.FromSlash(target)))
		if r, err := filepath.Rel(root, p); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
			out = append(out, target+" is outside the repository")
			return
		}
		if !mustExist {
			return
		}
		raw, err := os.ReadFile(p)
		if err != nil {
			if st, serr := os.Stat(p); serr == nil && st.IsDir() {
				return
			}
			out = append(out, target+" does not exist")
			return
		}
		if frag != "" && strings.HasSuffix(p, ".md") && !hasHeading(string(raw), frag) {
			out = append(out, target+"#"+frag+": no such heading")
		}
	}
	for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
		link := m[1]
		if strings.Contains(link, "://") || strings.HasPrefix(link, "mailto:") {
			continue
		}
		check(link, true)
	}
	for _, m := range codeSpan.FindAllStringSubmatch(text, -1) {
		span := m[1]
		switch {
		case strings.HasPrefix(span, "../"):
			check(span, false)
		case docsName.MatchString(span):
			// A span names docs/… from the repository root, as the
			// README does, wherever it is written.
			if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(strings.TrimLeft(span, "./")))); err != nil {
				out = append(out, span+" does not exist")
			}
		}
	}
	return out
}

// hasHeading reports whether md has a heading whose GitHub anchor is frag.
func hasHeading(md, frag string) bool {
	for _, m := range heading.FindAllStringSubmatch(md, -1) {
		if slug(m[1]) == frag {
			return true
		}
	}
	return false
}

// slug is GitHub's anchor for a heading: lower case, punctuation dropped,
// spaces as hyphens.
func slug(h string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r > 127:
			b.WriteRune(r)
		}
	}
	return b.String()
}
