package admin

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets at content-hashed URLs
// (<prefix><hash>/<file>), cached for a year since a change to a file
// changes its URL.
type staticFiles struct {
	prefix  string
	hashes  map[string]string // file → first 12 hex digits of its SHA-256
	content map[string][]byte // file → bytes served (CSS with rewritten url()s)
}

// cssURL matches a stylesheet's relative reference to another asset.
var cssURL = regexp.MustCompile(`url\("(\.\./[^"]+)"\)`)

func newStaticFiles(prefix string) (*staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	st := &staticFiles{prefix: prefix, hashes: map[string]string{}, content: map[string][]byte{}}
	var css []string
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		if path.Ext(p) == ".css" {
			css = append(css, p)
		}
		st.add(p, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("admin: static files: %w", err)
	}
	// Stylesheets point at images relatively; their hashed URLs differ, so
	// the references are rewritten to the images' hashed URLs, and the
	// stylesheets hashed after that.
	for _, p := range css {
		var missing error
		b := cssURL.ReplaceAllFunc(st.content[p], func(m []byte) []byte {
			ref := string(cssURL.FindSubmatch(m)[1])
			u, err := st.url(path.Join(path.Dir(p), ref))
			if err != nil {
				missing = fmt.Errorf("admin: %s refers to %s: %w", p, ref, err)
				return m
			}
			return []byte(`url("` + u + `")`)
		})
		if missing != nil {
			return nil, missing
		}
		st.add(p, b)
	}
	return st, nil
}

func (st *staticFiles) add(name string, b []byte) {
	sum := sha256.Sum256(b)
	st.hashes[name] = hex.EncodeToString(sum[:])[:12]
	st.content[name] = b
}

// url returns the hashed URL of an asset such as "admin/css/base.css".
func (st *staticFiles) url(name string) (string, error) {
	h, ok := st.hashes[name]
	if !ok {
		return "", fmt.Errorf("admin: no static file %q", name)
	}
	return st.prefix + h + "/" + name, nil
}

func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, st.prefix)
	hash, name, ok := strings.Cut(rest, "/")
	if !ok || st.hashes[name] != hash {
		http.NotFound(w, r)
		return
	}
	b := st.content[name]
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b)
}
