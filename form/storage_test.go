package form_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/form"
)

func readStored(t *testing.T, s form.Storage, name string) string {
	t.Helper()
	r, err := s.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDirStorage(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "media")
	s := form.DirStorage{Dir: dir, BaseURL: "/media/"}
	name, err := s.Save(ctx, "docs/a b.txt", strings.NewReader("one"))
	if err != nil || name != "docs/a b.txt" {
		t.Fatalf("save: %q %v", name, err)
	}
	again, err := s.Save(ctx, "docs/a b.txt", strings.NewReader("two"))
	if err != nil || !regexp.MustCompile(`^docs/a b_[A-Za-z0-9]{7}\.txt$`).MatchString(again) {
		t.Fatalf("a taken name gets a suffix: %q %v", again, err)
	}
	if readStored(t, s, name) != "one" || readStored(t, s, again) != "two" {
		t.Error("contents")
	}
	if got := s.URL("docs/a b.txt"); got != "/media/docs/a%20b.txt" {
		t.Errorf("URL %q", got)
	}
	if err := s.Delete(ctx, again); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, again)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("deleted file still there: %v", err)
	}
	if err := s.Delete(ctx, "docs/never.txt"); err != nil {
		t.Errorf("deleting a missing file: %v", err)
	}
	for _, bad := range []string{"", "/etc/passwd", "../escape.txt", "docs/../../x", "./a", "a//b", `a\b`, "a\x00b", "docs/", "."} {
		if _, err := s.Save(ctx, bad, strings.NewReader("x")); !errors.Is(err, form.ErrBadName) {
			t.Errorf("Save(%q): %v", bad, err)
		}
		if _, err := s.Open(ctx, bad); !errors.Is(err, form.ErrBadName) {
			t.Errorf("Open(%q): %v", bad, err)
		}
		if err := s.Delete(ctx, bad); !errors.Is(err, form.ErrBadName) {
			t.Errorf("Delete(%q): %v", bad, err)
		}
	}
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("s"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, "link"); err == nil {
		t.Error("a symbolic link out of the directory is followed")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Save(cancelled, "docs/late.txt", strings.NewReader("x")); err == nil {
		t.Error("saving with a cancelled context")
	}
	if _, err := os.Stat(filepath.Join(dir, "docs", "late.txt")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed save leaves its file: %v", err)
	}
}

func TestFileSize(t *testing.T) {
	cases := map[int64]string{0: "0 bytes", 1: "1 byte", 1023: "1023 bytes", 1024: "1.0 KB", 1536: "1.5 KB",
		5 << 20: "5.0 MB", 3<<30 + 1<<29: "3.5 GB", 2 << 40: "2.0 TB", 1 << 50: "1.0 PB"}
	for n, want := range cases {
		if got := form.FileSize(n); got != want {
			t.Errorf("FileSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestUploadNames(t *testing.T) {
	ctx := context.Background()
	s := form.DirStorage{Dir: t.TempDir(), BaseURL: "/m/"}
	cases := []struct {
		client, dir string
		max         int
		want        string // a regexp
	}{
		{"report.pdf", "", 0, `^report\.pdf$`},
		{`C:\Users\eve\My Report (final).pdf`, "docs", 0, `^docs/My_Report_final\.pdf$`},
		{"../../etc/passwd", "docs", 0, `^docs/passwd$`},
		{".htaccess", "", 0, `^htaccess$`},
		{"naïve café.txt", "", 0, `^naïve_café\.txt$`},
		{"a<script>.html", "up/%Y", 0, `^up/` + time.Now().UTC().Format("2006") + `/ascript\.html$`},
		{strings.Repeat("x", 50) + ".txt", "docs", 30, `^docs/x{13}\.txt$`},
	}
	for _, c := range cases {
		h := fileHeaders(t, map[string]fileUpload{"f": {c.client, "data"}})["f"][0]
		f := form.FileField("f", "F")
		v, err := f.CleanFile(h, nil, "")
		if err != nil {
			t.Errorf("%q: %v", c.client, err)
			continue
		}
		name, err := v.(*form.Upload).Save(ctx, s, c.dir, c.max)
		if err != nil || !regexp.MustCompile(c.want).MatchString(name) {
			t.Errorf("%q in %q: stored as %q (%v), want %s", c.client, c.dir, name, err, c.want)
		}
	}
	h := fileHeaders(t, map[string]fileUpload{"f": {"a.txt", "data"}})["f"][0]
	v, _ := form.FileField("f", "F").CleanFile(h, nil, "")
	if _, err := v.(*form.Upload).Save(ctx, s, strings.Repeat("d", 40), 30); err == nil {
		t.Error("a directory longer than the column")
	}
}
