package form_test

import (
	"bytes"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
)

// fileUpload is a file a test submits: its client-side name and content.
type fileUpload struct{ name, content string }

// multipartBody encodes values and files as a browser posts a form with
// enctype="multipart/form-data".
func multipartBody(t testing.TB, values url.Values, files map[string]fileUpload) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	for k, f := range files {
		part, err := w.CreateFormFile(k, f.name)
		if err != nil {
			t.Fatal(err)
		}
		part.Write([]byte(f.content))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return &body, w.FormDataContentType()
}

// fileHeaders returns the headers net/http makes of uploaded files.
func fileHeaders(t testing.TB, files map[string]fileUpload) map[string][]*multipart.FileHeader {
	t.Helper()
	body, ct := multipartBody(t, nil, files)
	r := httptest.NewRequest(http.MethodPost, "/", body)
	r.Header.Set("Content-Type", ct)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		t.Fatal(err)
	}
	return r.MultipartForm.File
}

func pngBytes(t testing.TB) string {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFileFieldClean(t *testing.T) {
	files := fileHeaders(t, map[string]fileUpload{
		"ok": {"notes.txt", "hello"}, "empty": {"e.txt", ""}, "big": {"big.bin", strings.Repeat("x", 2000)},
		"noname": {"...", "x"}, "long": {"abcdefghijk.txt", "x"}, "img": {"p.png", pngBytes(t)}, "fake": {"p.png", "not an image"},
	})
	type fileCase struct {
		field   *form.Field
		file    string // key in files; "" for none
		clear   []string
		initial string
		want    string // the cleaned value: an upload's name as "upload:<name>", else the string
		errs    []string
	}
	req := form.FileField("f", "F", form.MaxSize(1024), form.MaxLength(12))
	opt := form.FileField("f", "F", form.Optional())
	img := form.ImageField("f", "F", form.Optional())
	cases := []fileCase{
		{req, "ok", nil, "", "upload:notes.txt", nil},
		{req, "ok", nil, "old.txt", "upload:notes.txt", nil},
		{req, "", nil, "old.txt", "old.txt", nil},
		{req, "", nil, "", "", required},
		{req, "", vals("on"), "old.txt", "", required}, // a required file cannot be cleared
		{req, "ok", vals("on"), "old.txt", "upload:notes.txt", nil},
		{req, "empty", nil, "", "", []string{"The submitted file is empty."}},
		{req, "big", nil, "", "", []string{"Ensure this file is at most 1.0 KB (it is 2.0 KB)."}},
		{req, "noname", nil, "", "", []string{"No file was submitted. Check the encoding type on the form."}},
		{req, "long", nil, "", "", []string{"Ensure this filename has at most 12 characters (it has 15)."}},
		{opt, "", vals("on"), "old.txt", "", nil},
		{opt, "", vals("false"), "old.txt", "old.txt", nil},
		{opt, "ok", vals("on"), "old.txt", "", []string{"Please either submit a file or check the clear checkbox, not both."}},
		{opt, "", nil, "", "", nil},
		{img, "img", nil, "", "upload:p.png", nil},
		{img, "fake", nil, "", "", []string{"Upload a valid image. The file you uploaded was either not an image or a corrupted image."}},
	}
	for i, c := range cases {
		var h *multipart.FileHeader
		if c.file != "" {
			h = files[c.file][0]
		}
		v, err := c.field.CleanFile(h, c.clear, c.initial)
		if c.errs != nil {
			if ve, _ := err.(form.ValidationError); !slices.Equal(ve, c.errs) {
				t.Errorf("case %d: errors %v, want %q", i, err, c.errs)
			}
			continue
		}
		got, _ := v.(string)
		if u, ok := v.(*form.Upload); ok {
			got = "upload:" + u.Name
			if u.Size != h.Size {
				t.Errorf("case %d: size %d", i, u.Size)
			}
		}
		if err != nil || got != c.want {
			t.Errorf("case %d: %q %v, want %q", i, got, err, c.want)
		}
	}
}

// TestFileFormOverHTTP posts a multipart form to a real server whose
// handler binds the request, as a page would.
func TestFileFormOverHTTP(t *testing.T) {
	var got *form.Form
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := form.New(form.CharField("title", "Title"), form.FileField("doc", "Doc", form.MaxSize(100)))
		if err := f.BindRequest(r, 1<<20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		got = f
	}))
	defer srv.Close()
	body, ct := multipartBody(t, url.Values{"title": {"Minutes"}}, map[string]fileUpload{"doc": {"../minutes.txt", "agreed"}})
	resp, err := http.Post(srv.URL, ct, body)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !got.IsValid() || !got.IsMultipart() {
		t.Fatalf("errors %v", got.Errors())
	}
	u := got.Cleaned("doc").(*form.Upload)
	if u.Name != "minutes.txt" || got.Cleaned("title") != "Minutes" || !slices.Equal(got.Changed(), []string{"title", "doc"}) {
		t.Errorf("upload %+v, title %v, changed %v", u, got.Cleaned("title"), got.Changed())
	}
	resp, err = http.PostForm(srv.URL, url.Values{"title": {"No file"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got.IsValid() || got.Errors()["doc"][0] != "This field is required." {
		t.Errorf("a url-encoded post: %v", got.Errors())
	}
	if form.New(form.CharField("x", "X")).IsMultipart() {
		t.Error("a form without a file field is not multipart")
	}
}

func TestFileFieldRendering(t *testing.T) {
	s := form.DirStorage{Dir: t.TempDir(), BaseURL: "/media/"}
	f := form.New(form.FileField("doc", "Doc", form.WithStorage(s), form.Optional()), form.FileField("req", "Req", form.WithStorage(s)))
	f.SetInitial(url.Values{"doc": {"docs/a.pdf"}, "req": {"docs/b.pdf"}})
	want := "Currently: <a href=\"/media/docs/a.pdf\">docs/a.pdf</a>\n<input type=\"checkbox\" name=\"doc-clear\" id=\"doc-clear_id\">\n" +
		"<label for=\"doc-clear_id\">Clear</label><br>\nChange: <input type=\"file\" name=\"doc\" id=\"id_doc\">"
	if got := string(f.Field("doc").Widget()); got != want {
		t.Errorf("optional:\n got %s\nwant %s", got, want)
	}
	want = "Currently: <a href=\"/media/docs/b.pdf\">docs/b.pdf</a><br>\nChange: <input type=\"file\" name=\"req\" id=\"id_req\">"
	if got := string(f.Field("req").Widget()); got != want {
		t.Errorf("required with a stored file has no clear box and no required attribute:\n got %s\nwant %s", got, want)
	}
	f.Bind(url.Values{"doc-clear": {"on"}})
	if got := string(f.Field("doc").Widget()); !strings.Contains(got, `id="doc-clear_id" checked>`) {
		t.Errorf("the clear box stays checked: %s", got)
	}
	if !f.IsValid() || f.Cleaned("doc") != "" || f.Cleaned("req") != "docs/b.pdf" || !slices.Equal(f.Changed(), []string{"doc"}) {
		t.Errorf("cleared: %v %q %q %v", f.Errors(), f.Cleaned("doc"), f.Cleaned("req"), f.Changed())
	}
	empty := form.New(form.FileField("req", "Req"))
	if got := string(empty.Field("req").Widget()); got != `<input type="file" name="req" required id="id_req">` {
		t.Errorf("required without a file: %s", got)
	}
}
