package form

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
)

// Storage keeps uploaded files, Django's Storage. Names are relative,
// slash-separated paths ("docs/2024/report.pdf") that the server makes
// (see Upload.Save); a Storage refuses any other.
type Storage interface {
	// Save stores the content of r under name, or under a name made from it
	// with a random suffix when name is taken, and returns the name used.
	Save(ctx context.Context, name string, r io.Reader) (string, error)
	// Open returns the content of the file called name.
	Open(ctx context.Context, name string) (io.ReadCloser, error)
	// Delete removes the file called name; a missing file is not an error.
	Delete(ctx context.Context, name string) error
	// URL returns the address the file called name is served at.
	URL(name string) string
}

// DirStorage is a Storage in a local directory, Django's
// FileSystemStorage: files live under Dir (created when first needed) and
// are served at BaseURL ("/media/"). Every access goes through an os.Root
// opened on Dir, so no name, symbolic link included, reaches outside it.
type DirStorage struct {
	Dir     string
	BaseURL string
}

// ErrBadName is returned by a Storage for a name that is not a clean,
// relative, slash-separated path.
var ErrBadName = errors.New("form: not a valid storage name")

// checkName refuses absolute names, names with "..", ".", empty or
// backslashed parts, and names with NUL.
func checkName(name string) error {
	if name == "" || path.IsAbs(name) || path.Clean(name) != name || strings.ContainsAny(name, "\\\x00") {
		return fmt.Errorf("%w: %q", ErrBadName, name)
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == ".." || part == "." {
			return fmt.Errorf("%w: %q", ErrBadName, name)
		}
	}
	return nil
}

func (s DirStorage) root() (*os.Root, error) {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("form: storage: %w", err)
	}
	return os.OpenRoot(s.Dir)
}

// Save implements Storage. A taken name gets "_" and seven random letters
// and digits before its extension, as Django's get_available_name does;
// the file is created exclusively, so two uploads never share one.
func (s DirStorage) Save(ctx context.Context, name string, r io.Reader) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	root, err := s.root()
	if err != nil {
		return "", err
	}
	defer root.Close()
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o755); err != nil {
			return "", fmt.Errorf("form: storage: %w", err)
		}
	}
	candidate := name
	for attempt := 0; ; attempt++ {
		f, err := root.OpenFile(candidate, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) && attempt < 100 {
			candidate = withSuffix(name, randomSuffix())
			continue
		}
		if err != nil {
			return "", fmt.Errorf("form: storage: %w", err)
		}
		return candidate, s.write(ctx, root, f, candidate, r)
	}
}

// write copies r into f, removing the file when anything fails.
func (s DirStorage) write(ctx context.Context, root *os.Root, f *os.File, name string, r io.Reader) error {
	_, err := io.Copy(f, ctxReader{ctx, r})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = root.Remove(name)
		return fmt.Errorf("form: storage: save %s: %w", name, err)
	}
	return nil
}

// Open implements Storage.
func (s DirStorage) Open(ctx context.Context, name string) (io.ReadCloser, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(s.Dir)
	if err != nil {
		return nil, fmt.Errorf("form: storage: %w", err)
	}
	defer root.Close()
	return root.Open(name)
}

// Delete implements Storage.
func (s DirStorage) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	root, err := os.OpenRoot(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("form: storage: %w", err)
	}
	defer root.Close()
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("form: storage: %w", err)
	}
	return nil
}

// URL implements Storage: BaseURL followed by the name, each part escaped.
func (s DirStorage) URL(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.TrimSuffix(s.BaseURL, "/") + "/" + strings.Join(parts, "/")
}

// withSuffix puts "_<suffix>" before a name's extension: a.pdf → a_x7Kq2Zm.pdf.
func withSuffix(name, suffix string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "_" + suffix + ext
}

const suffixAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomSuffix returns seven random letters and digits.
func randomSuffix() string { return randomString(7) }

func randomString(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = suffixAlphabet[int(b[i])%len(suffixAlphabet)]
	}
	return string(b)
}

// ctxReader stops a copy when its context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the underlying reader unless the context has ended.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
