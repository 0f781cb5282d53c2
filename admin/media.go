package admin

import (
	"fmt"
	"io/fs"
	"path"
	"strings"
)

// Media names the extra stylesheets and scripts of one model admin's
// change list and change form pages, Django's ModelAdmin.Media: paths of
// the site's static files, embedded or the project's own
// (Config.Static), such as "shop/css/book.css". The pages link them at
// their content-hashed URLs, after the admin's own: CSS as
// <link rel="stylesheet">, JS as <script defer>.
//
// Addresses on other hosts are refused: the admin's Content Security
// Policy lets pages load scripts and styles from the site itself only.
type Media struct {
	CSS []string
	JS  []string
}

// checkMedia checks that each file the admin's Media names is a static
// file of the site (staffroom.E017).
func (c *checker) checkMedia(a *ModelAdmin) {
	for _, x := range []struct {
		option, ext string
		names       []string
	}{{"Media.CSS", ".css", a.Media.CSS}, {"Media.JS", ".js", a.Media.JS}} {
		for i, name := range x.names {
			c.checkMediaFile(fmt.Sprintf("%s[%d]", x.option, i), x.ext, name)
		}
	}
}

func (c *checker) checkMediaFile(option, ext, name string) {
	const id = "staffroom.E017"
	switch {
	case strings.Contains(name, "://") || strings.HasPrefix(name, "//"):
		c.errorf(id, option, name, "Put the file in the site's static files (staffroom.Config.Static) and name its path there.",
			"is the address '%s' on another host; the admin's Content Security Policy allows only the site's own scripts and styles ('self'), so the browser would block it.", name)
	case !fs.ValidPath(name) || name == ".":
		c.errorf(id, option, name, "Name a path inside the site's static files, without a leading slash, e.g. 'shop/js/book.js'.",
			"is '%s', which is not a relative path of a static file.", name)
	case path.Ext(name) != ext:
		c.errorf(id, option, name, "List stylesheets in Media.CSS and scripts in Media.JS.",
			"is '%s', which does not end in %s; it would be served with another content type, which the browser refuses.", name, ext)
	case !c.site.static.has(name):
		c.errorf(id, option, name, "Add the file to the site's static files (staffroom.Config.Static), or correct the path.",
			"refers to the static file '%s', which is neither one of the admin's own static files nor in the site's Static files.", name)
	}
}
