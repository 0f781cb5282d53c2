package testdb

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// FixtureDir returns the folder of the data a real Django project made
// (testdata/django beside this file; its README says what each file
// holds). The files travel with the repository, so the tests that use
// them pass on a fresh clone.
func FixtureDir(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testdb: cannot locate the Django fixtures: runtime.Caller failed")
	}
	dir := filepath.Join(filepath.Dir(file), "testdata", "django")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("testdb: the Django fixtures are missing: %v", err)
	}
	return dir
}

// ReadFixture returns the content of a file of FixtureDir.
func ReadFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(FixtureDir(t), name))
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return b
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
