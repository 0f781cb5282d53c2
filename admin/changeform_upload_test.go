package admin_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

type Attachment struct {
	ID    int64
	Title string `orm:"max_length=50"`
	Notes string `orm:"type=text,blank"`
	Doc   string `orm:"type=file,blank"`
}

func (a *Attachment) String() string { return a.Title }

// TestChangeFormUpload uploads a file through the add page, as a browser
// posts multipart/form-data, and finds it stored and shown on the change
// page; the site's templates override the form's widgets too.
func TestChangeFormUpload(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			media := t.TempDir()
			p := staffroom.Project{Name: "test", Apps: []orm.AppConfig{{Name: "files", Models: []any{Attachment{}}}},
				Admin: func(site *admin.Site) error { return site.Register(Attachment{}, nil) }}
			cfg := staffroom.Config{Database: testdb.URL(t, dialect), SecretKey: "k", Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}},
				Storage:   form.DirStorage{Dir: media, BaseURL: "/media/"},
				Templates: fstest.MapFS{"form/widgets/textarea.html": {Data: []byte(`<textarea data-site name="{{.Name}}"{{.Attrs}}>{{.Value}}</textarea>`)}}}
			app, err := staffroom.New(p, cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { app.Close() })
			ctx := context.Background()
			if _, err := app.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := staffroom.CreateUser(ctx, app, "root", "", "pw", true); err != nil {
				t.Fatal(err)
			}
			c := webtest.New(t, app.Handler)
			login := c.Get("/admin/login/")
			if r := c.Submit(login, "#login-form", map[string][]string{"username": {"root"}, "password": {"pw"}}, ""); r.StatusCode != 302 {
				t.Fatalf("login: %d", r.StatusCode)
			}

			page := c.Get("/admin/files/attachment/add/")
			if enc, _ := page.Find("#attachment_form").Attr("enctype"); enc != "multipart/form-data" {
				t.Errorf("enctype %q", enc)
			}
			if page.Find(`input[type=file][name=doc]`).Length() != 1 || page.Find("textarea[data-site]").Length() != 1 {
				t.Errorf("file input and overridden textarea:\n%s", page.Body)
			}
			action, values := page.FormValues("#attachment_form")
			values.Set("title", "Minutes")
			resp := postMultipart(t, c, action, values, "doc", `C:\docs\minutes 1.txt`, "agreed")
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("add: %d\n%s", resp.StatusCode, resp.Body)
			}
			objs, err := orm.For[Attachment](app.DB).All(ctx)
			if err != nil || len(objs) != 1 {
				t.Fatalf("%d attachments: %v", len(objs), err)
			}
			a := objs[0].(*Attachment)
			if b, err := os.ReadFile(filepath.Join(media, a.Doc)); a.Doc != "minutes_1.txt" || err != nil || string(b) != "agreed" {
				t.Errorf("stored %q: %q %v", a.Doc, b, err)
			}
			change := c.Get("/admin/files/attachment/" + strconv.FormatInt(a.ID, 10) + "/change/")
			if href, _ := change.Find(`a[href="/media/minutes_1.txt"]`).Attr("href"); href == "" || change.Find(`input[name=doc-clear]`).Length() != 1 {
				t.Errorf("change page:\n%s", change.Body)
			}
		})
	}
}

// postMultipart posts values and one file as a browser posts a form with
// enctype="multipart/form-data".
func postMultipart(t *testing.T, c *webtest.Client, action string, values map[string][]string, field, filename, content string) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	part, err := w.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	part.Write([]byte(content))
	w.Close()
	req, err := http.NewRequest(http.MethodPost, action, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", c.URL)
	return c.Do(req)
}
