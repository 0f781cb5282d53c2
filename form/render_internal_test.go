package form

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// TestEveryTemplateIsParsed checks each embedded file is one the Renderer
// parses, so none is dead and none can be overridden in vain.
func TestEveryTemplateIsParsed(t *testing.T) {
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if name := strings.TrimPrefix(path, "templates/"); !slices.Contains(templateNames, name) {
			t.Errorf("%s is embedded but never parsed", name)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(DefaultRenderer().t.Templates()); got < len(templateNames) {
		t.Errorf("%d templates parsed, want %d", got, len(templateNames))
	}
}
