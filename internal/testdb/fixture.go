package testdb

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// FixtureDir returns the folder of the Django project's data
// (../shared/fixtures/django beside the repository).
func FixtureDir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testdb: cannot locate the repository")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "fixtures", "django")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("testdb: the Django fixtures are missing (../shared must sit beside the repository): %v", err)
	}
	return dir
}

// CopyFixture copies a file of FixtureDir into the test's temporary
// folder, so a test may change it, and returns the copy's path.
func CopyFixture(t testing.TB, name string) string {
	t.Helper()
	in, err := os.Open(filepath.Join(FixtureDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	dst := filepath.Join(t.TempDir(), name)
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return dst
}
