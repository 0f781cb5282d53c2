package form_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Document struct {
	ID         int64
	Title      string `orm:"max_length=50"`
	Attachment string `orm:"type=file,blank"`
	Scan       string `orm:"type=image,max_length=40"`
}

func documentRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "files", Models: []any{Document{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// documentServer serves a document's change form: a POST is bound from
// the multipart request and saved in a transaction, as the admin does.
func documentServer(t *testing.T, db *orm.DB, opts form.Options, doc *Document) (*httptest.Server, **form.ModelForm) {
	var last *form.ModelForm
	m := modelOf(t, db, Document{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mf, err := form.ForModel(r.Context(), db, m, opts)
		if err == nil && doc.ID != 0 {
			err = mf.SetInstance(r.Context(), doc)
		}
		if err == nil {
			err = mf.BindRequest(r, 1<<20)
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		last = mf
		if !mf.IsValid() {
			w.WriteHeader(http.StatusOK)
			return
		}
		err = db.Atomic(r.Context(), func(ctx context.Context) error {
			mf.SetContext(ctx)
			if err := mf.Apply(doc); err != nil {
				return err
			}
			return db.Save(ctx, doc)
		})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusFound)
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func postMultipart(t *testing.T, target string, values url.Values, files map[string]fileUpload) int {
	t.Helper()
	body, ct := multipartBody(t, values, files)
	resp, err := http.Post(target, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestModelFormFiles(t *testing.T) {
	testdb.Run(t, documentRegistry(t), func(t *testing.T, db *orm.DB) {
		media := t.TempDir()
		storage := form.DirStorage{Dir: media, BaseURL: "/media/"}
		opts := form.Options{Storage: storage, UploadTo: map[string]string{"attachment": "att/%Y", "scan": "scans"}}
		doc := &Document{}
		srv, last := documentServer(t, db, opts, doc)

		mf, err := form.ForModel(context.Background(), db, modelOf(t, db, Document{}), opts)
		if err != nil {
			t.Fatal(err)
		}
		if !mf.IsMultipart() || string(mf.Field("scan").Widget()) != `<input type="file" name="scan" required id="id_scan">` {
			t.Errorf("file fields: multipart %v, %s", mf.IsMultipart(), mf.Field("scan").Widget())
		}

		code := postMultipart(t, srv.URL, url.Values{"title": {"T"}}, map[string]fileUpload{"scan": {"x.png", "not a png"}})
		if code != http.StatusOK || (*last).Errors()["scan"][0] != "Upload a valid image. The file you uploaded was either not an image or a corrupted image." {
			t.Fatalf("a bad image: %d %v", code, (*last).Errors())
		}
		if entries, _ := os.ReadDir(media); len(entries) != 0 {
			t.Errorf("an invalid form stores nothing: %v", entries)
		}

		code = postMultipart(t, srv.URL, url.Values{"title": {"Scan 1"}}, map[string]fileUpload{
			"scan": {`C:\scans\page one.png`, pngBytes(t)}, "attachment": {"../../notes.txt", "hello"}})
		if code != http.StatusFound {
			t.Fatalf("save: %d %v", code, (*last).Errors())
		}
		got, err := orm.Get[Document](context.Background(), orm.For[Document](db), orm.Q{"pk": doc.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got.Scan != "scans/page_one.png" || !regexp.MustCompile(`^att/\d{4}/notes\.txt$`).MatchString(got.Attachment) {
			t.Errorf("stored names %+v", got)
		}
		if b, err := os.ReadFile(filepath.Join(media, filepath.FromSlash(got.Attachment))); err != nil || string(b) != "hello" {
			t.Errorf("stored file: %q %v", b, err)
		}

		change, _ := form.ForModel(context.Background(), db, modelOf(t, db, Document{}), opts)
		if err := change.SetInstance(context.Background(), got); err != nil {
			t.Fatal(err)
		}
		if w := string(change.Field("attachment").Widget()); !strings.Contains(w, `Currently: <a href="/media/`+got.Attachment+`">`) || !strings.Contains(w, `name="attachment-clear"`) {
			t.Errorf("change form: %s", w)
		}

		// Clearing the optional file, keeping the scan, changing the title.
		code = postMultipart(t, srv.URL, url.Values{"title": {"Scan 2"}, "attachment-clear": {"on"}}, nil)
		if code != http.StatusFound || !strings.EqualFold(strings.Join((*last).ChangedLabels(), ","), "Title,Attachment") {
			t.Fatalf("clear: %d %v %v", code, (*last).Errors(), (*last).ChangedLabels())
		}
		got, _ = orm.Get[Document](context.Background(), orm.For[Document](db), orm.Q{"pk": doc.ID})
		if got.Attachment != "" || got.Scan != "scans/page_one.png" || got.Title != "Scan 2" {
			t.Errorf("after clearing: %+v", got)
		}
		// A second upload of the same name is stored beside the first.
		code = postMultipart(t, srv.URL, url.Values{"title": {"Scan 3"}}, map[string]fileUpload{"scan": {"page one.png", pngBytes(t)}})
		got, _ = orm.Get[Document](context.Background(), orm.For[Document](db), orm.Q{"pk": doc.ID})
		if code != http.StatusFound || !regexp.MustCompile(`^scans/page_one_[A-Za-z0-9]{7}\.png$`).MatchString(got.Scan) || len(got.Scan) > 40 {
			t.Errorf("second upload: %d %q", code, got.Scan)
		}
		// The required scan cannot be cleared, even by a forged box.
		code = postMultipart(t, srv.URL, url.Values{"title": {"Scan 4"}, "scan-clear": {"on"}}, nil)
		if code != http.StatusOK || (*last).Errors()["scan"][0] != "This field is required." {
			t.Errorf("clearing a required file: %d %v", code, (*last).Errors())
		}

		plain, _ := form.ForModel(context.Background(), db, modelOf(t, db, Document{}), form.Options{})
		if plain.IsMultipart() || !strings.HasPrefix(string(plain.Field("scan").Widget()), `<input type="text" name="scan"`) {
			t.Error("without a Storage a file field is the stored name as text")
		}
	})
}
