package admin

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"mime"
	"net/http"
	"path"
	"regexp"
	"slices"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded assets and the project's own
// (Config.Static) at content-hashed URLs (<prefix><hash>/<file>), cached
// for a year since a change to a file changes its URL.
type staticFiles struct {
	prefix  string
	hashes  map[string]string // file → first 12 hex digits of its SHA-256
	content map[string][]byte // file → bytes served (CSS with rewritten url()s)
}

// cssURL matches a stylesheet's relative reference to another asset.
var cssURL = regexp.MustCompile(`url\("(\.\./[^"]+)"\)`)

// newStaticFiles reads the embedded assets, then the project's (nil for
// none); a project file at an embedded file's path replaces it, as a
// template override does.
func newStaticFiles(prefix string, project fs.FS) (*staticFiles, error) {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	st := &staticFiles{prefix: prefix, hashes: map[string]string{}, content: map[string][]byte{}}
	css := map[string]bool{}
	if err := st.addAll(sub, css); err != nil {
		return nil, fmt.Errorf("admin: static files: %w", err)
	}
	if project != nil {
		if err := st.addAll(project, css); err != nil {
			return nil, fmt.Errorf("admin: Config.Static: %w", err)
		}
	}
	// Stylesheets point at images relatively; their hashed URLs differ, so
	// the references are rewritten to the images' hashed URLs, and the
	// stylesheets hashed after that.
	for _, p := range slices.Sorted(maps.Keys(css)) {
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

// addAll adds every file of fsys, noting the stylesheets in css.
func (st *staticFiles) addAll(fsys fs.FS, css map[string]bool) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if path.Ext(p) == ".css" {
			css[p] = true
		}
		st.add(p, b)
		return nil
	})
}

func (st *staticFiles) add(name string, b []byte) {
	sum := sha256.Sum256(b)
	st.hashes[name] = hex.EncodeToString(sum[:])[:12]
	st.content[name] = b
}

// has reports whether name is a static file of the site.
func (st *staticFiles) has(name string) bool {
	_, ok := st.hashes[name]
	return ok
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
