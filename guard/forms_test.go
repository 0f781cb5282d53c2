package guard_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/guard"
)

// multipartBody returns a multipart body with values and one file per
// entry of files (name → size in bytes), and its Content-Type.
func multipartBody(t testing.TB, values url.Values, files map[string]int) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for name, size := range files {
		fw, err := mw.CreateFormFile(name, name+".bin")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(bytes.Repeat([]byte("x"), size))
	}
	mw.Close()
	return &body, mw.FormDataContentType()
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// tempFiles counts the files in dir.
func tempFiles(t testing.TB, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestLimits(t *testing.T) {
	lim := guard.Limits{MaxFormSize: 1000, MaxUploadSize: 10000, MaxFileMemory: 100, MaxFields: 5, MaxFiles: 2}
	h := guard.New(guard.Config{Limits: lim}).Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		fmt.Fprintf(w, "ok %d", len(r.PostForm))
	}))
	form := func(n int) string {
		v := url.Values{}
		for i := range n {
			v.Set(fmt.Sprint("f", i), "v")
		}
		return v.Encode()
	}
	type body struct{ data, ctype string }
	mp := func(values, valueSize int, files map[string]int) body {
		v := url.Values{}
		for i := range values {
			v.Set(fmt.Sprint("f", i), strings.Repeat("v", valueSize))
		}
		b, ct := multipartBody(t, v, files)
		return body{b.String(), ct}
	}
	const urlencoded = "application/x-www-form-urlencoded"
	tests := []struct {
		name   string
		body   body
		length bool // send a Content-Length
		code   int
		want   string
		unread bool // the body must not be read at all
	}{
		{"a small form", body{form(5), urlencoded}, true, 200, "ok 5", false},
		{"too many fields", body{form(6), urlencoded}, true, 400, "Too many form fields", false},
		{"a form too large", body{"a=" + strings.Repeat("x", 1000), urlencoded}, true, 413, "limit is 1000 bytes", true},
		{"a form too large, no length", body{"a=" + strings.Repeat("x", 1000), urlencoded}, false, 413, "limit is 1000 bytes", false},
		{"a malformed form", body{"a=%zz", urlencoded}, true, 400, "Malformed", false},
		{"JSON within the limit", body{`{"a": 1}`, "application/json"}, true, 200, "ok 0", false},
		{"JSON over the limit", body{strings.Repeat(" ", 1001), "application/json"}, true, 413, "too large", true},
		{"JSON over the limit, no length", body{strings.Repeat(" ", 1001), "application/json"}, false, 413, "too large", false},
		{"an upload", mp(2, 10, map[string]int{"doc": 5000}), true, 200, "ok 2", false},
		{"an upload too large", mp(1, 10, map[string]int{"doc": 20000}), true, 413, "limit is 10000 bytes", true},
		{"an upload too large, no length", mp(1, 10, map[string]int{"doc": 20000}), false, 413, "limit is 10000 bytes", false},
		{"too many multipart fields", mp(6, 1, nil), true, 400, "Too many form fields", false},
		{"too many files", mp(1, 1, map[string]int{"a": 1, "b": 1, "c": 1}), true, 400, "Too many files", false},
		{"multipart values too large", mp(2, 600, nil), true, 413, "limit is 1000 bytes", false},
		{"no boundary", body{"x", "multipart/form-data"}, true, 400, "Malformed", false},
		{"a broken multipart body", body{"--b\r\nnonsense", "multipart/form-data; boundary=b"}, true, 400, "Malformed", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := &countingReader{r: strings.NewReader(tt.body.data)}
			r := httptest.NewRequest("POST", "/", io.NopCloser(cr))
			r.Host = "127.0.0.1"
			r.Header.Set("Content-Type", tt.body.ctype)
			r.ContentLength = -1
			if tt.length {
				r.ContentLength = int64(len(tt.body.data))
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.code || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%d %q, want %d %q", w.Code, w.Body, tt.code, tt.want)
			}
			if tt.unread && cr.n > 0 {
				t.Errorf("read %d bytes of a body whose Content-Length was over the limit", cr.n)
			}
		})
	}
}

// TestFormsParsedOnceAndCleanedUp checks that a multipart body is parsed
// once, before the handler, which finds it parsed, and that its temporary
// files are gone when the request ends: answered, refused or panicking.
func TestFormsParsedOnceAndCleanedUp(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	lim := guard.Limits{MaxFileMemory: 1000}
	var during int
	handler := func(w http.ResponseWriter, r *http.Request) {
		during = tempFiles(t, tmp)
		if r.MultipartForm == nil {
			t.Error("the handler got no parsed multipart form")
		}
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Errorf("ParseMultipartForm after the guard: %v", err)
		}
		if r.FormValue("title") != "Minutes" || len(r.MultipartForm.File["doc"]) != 1 {
			t.Errorf("values %v, files %v", r.PostForm, r.MultipartForm.File)
		}
		switch r.URL.Path {
		case "/refuse":
			http.Error(w, "forbidden", http.StatusForbidden)
		case "/panic":
			panic(http.ErrAbortHandler)
		}
	}
	h := guard.New(guard.Config{Limits: lim}).Handler(http.HandlerFunc(handler))
	for _, path := range []string{"/ok", "/refuse", "/panic"} {
		during = 0
		body, ctype := multipartBody(t, url.Values{"title": {"Minutes"}}, map[string]int{"doc": 50000})
		r := httptest.NewRequest("POST", path, body)
		r.Host = "localhost"
		r.Header.Set("Content-Type", ctype)
		func() {
			defer func() { recover() }()
			h.ServeHTTP(httptest.NewRecorder(), r)
		}()
		if during != 1 {
			t.Errorf("%s: %d temporary files while handling, want 1 (the file beyond MaxFileMemory)", path, during)
		}
		if n := tempFiles(t, tmp); n != 0 {
			t.Errorf("%s: %d temporary files left after the request", path, n)
		}
	}
}
