package admin_test

import (
	"context"

	"errors"
	"github.com/PuerkitoBio/goquery"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
)

// projectStatic are a project's own static files (Config.Static).
var projectStatic = fstest.MapFS{
	"notes/css/note.css":  {Data: []byte(`.note { background: url("../img/paper.png"); }`)},
	"notes/img/paper.png": {Data: []byte("\x89PNG")},
	"notes/js/note.js":    {Data: []byte("'use strict';\n")},
}

func TestMediaLinkedAndServed(t *testing.T) {
	app, c := newSiteWith(t, staffroom.Config{Database: testdb.URL(t, "sqlite"), Static: projectStatic}, func(site *admin.Site) error {
		if err := site.Register(Shelf{}, nil); err != nil {
			return err
		}
		return site.Register(Note{}, &admin.ModelAdmin{Media: admin.Media{
			CSS: []string{"notes/css/note.css"},
			JS:  []string{"notes/js/note.js", "admin/js/calendar.js"},
		}})
	})
	note := &Note{Title: "first"}
	if err := app.DB.Insert(context.Background(), note); err != nil {
		t.Fatal(err)
	}
	served := map[string]string{}
	for _, path := range []string{"/admin/notes/note/", "/admin/notes/note/add/", "/admin/notes/note/" + key(note.ID) + "/change/"} {
		r := c.Get(path)
		if r.StatusCode != 200 {
			t.Fatalf("%s: %d", path, r.StatusCode)
		}
		head := r.Find("head link[rel=stylesheet], head script[src]")
		var last []string
		head.Slice(head.Length()-3, head.Length()).Each(func(_ int, s *goquery.Selection) {
			u, _ := s.Attr("href")
			if src, ok := s.Attr("src"); ok {
				u = src
				if _, deferred := s.Attr("defer"); !deferred {
					t.Errorf("%s: the script %s is not deferred", path, src)
				}
			}
			last = append(last, u)
		})
		// The admin's Media comes after the page's own assets, in order.
		for i, name := range []string{"notes/css/note.css", "notes/js/note.js", "admin/js/calendar.js"} {
			if !strings.HasPrefix(last[i], "/admin/static/") || !strings.HasSuffix(last[i], "/"+name) {
				t.Errorf("%s: head asset %d is %q, want the hashed URL of %s", path, len(last)-3+i, last[i], name)
			}
			served[name] = last[i]
		}
	}
	for name, u := range served {
		a := c.Get(u)
		if a.StatusCode != 200 || a.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d %q", u, a.StatusCode, a.Header.Get("Cache-Control"))
		}
		if want, ok := projectStatic[name]; ok && name != "notes/css/note.css" && a.Body != string(want.Data) {
			t.Errorf("%s serves %q", u, a.Body)
		}
	}
	// The project's stylesheet points at the project's image by its
	// hashed URL, as the admin's own do.
	css := c.Get(served["notes/css/note.css"])
	if !strings.Contains(css.Header.Get("Content-Type"), "text/css") || !strings.Contains(css.Body, `url("/admin/static/`) {
		t.Fatalf("the stylesheet: %q %s", css.Header.Get("Content-Type"), css.Body)
	}
	img := css.Body[strings.Index(css.Body, `url("`)+5 : strings.LastIndex(css.Body, `")`)]
	if r := c.Get(img); r.StatusCode != 200 || r.Body != "\x89PNG" {
		t.Errorf("%s: %d", img, r.StatusCode)
	}
	if r := c.Get("/admin/static/000000000000/notes/js/note.js"); r.StatusCode != 404 {
		t.Errorf("a stale hash answered %d", r.StatusCode)
	}
	// Another admin's pages have none of it.
	if r := c.Get("/admin/notes/shelf/"); strings.Contains(r.Body, "notes/js/note.js") {
		t.Error("the shelf change list links the note admin's Media")
	}
}

func TestMediaRefusedAtRegister(t *testing.T) {
	for _, tc := range []struct {
		name   string
		media  admin.Media
		option string
		says   string
	}{
		{"missing", admin.Media{JS: []string{"admin/js/calendar.js", "notes/js/gone.js"}}, "Media.JS[1]", "neither one of the admin's own static files nor in the site's Static files"},
		{"https", admin.Media{CSS: []string{"https://cdn.example.com/x.css"}}, "Media.CSS[0]", "Content Security Policy allows only the site's own scripts and styles"},
		{"scheme-relative", admin.Media{JS: []string{"//cdn.example.com/x.js"}}, "Media.JS[0]", "Content Security Policy"},
		{"absolute path", admin.Media{JS: []string{"/static/x.js"}}, "Media.JS[0]", "not a relative path"},
		{"wrong kind", admin.Media{JS: []string{"admin/css/base.css"}}, "Media.JS[0]", "does not end in .js"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := checkSite(t)
			err := site.Register(Note{}, &admin.ModelAdmin{Media: tc.media})
			var ce *admin.CheckError
			if !errors.As(err, &ce) {
				t.Fatalf("Register: %v, want a *CheckError", err)
			}
			if len(ce.Messages) != 1 || ce.Messages[0].ID != "staffroom.E017" || ce.Messages[0].Option != tc.option {
				t.Fatalf("messages: %+v", ce.Messages)
			}
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("the error says %q, want it to say %q", err, tc.says)
			}
		})
	}
	// The admin's own files need no Static.
	if err := checkSite(t).Register(Note{}, &admin.ModelAdmin{Media: admin.Media{CSS: []string{"admin/css/forms.css"}}}); err != nil {
		t.Fatal(err)
	}
}
