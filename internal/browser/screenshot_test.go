package browser_test

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

// TestScreenshot: the screenshot is a PNG of the whole page, below the
// window's height too, at the window's width or the emulated phone's.
func TestScreenshot(t *testing.T) {
	base := serveHTML(t, map[string]string{
		"/tall": `<!doctype html><meta name="viewport" content="width=device-width">
<title>tall</title><body style="margin:0"><div style="height:3000px;background:linear-gradient(#fff,#036)">tall</div>`,
	})
	dir := t.TempDir()
	p := chrome.Page(t)
	p.Open(base + "/tall")
	wide := filepath.Join(dir, "sub", "tall-light.png")
	p.Screenshot(wide)
	assertPNG(t, wide, 1280, 3000)

	p.Viewport(browser.PhoneWidth, browser.PhoneHeight, true)
	p.Open(base + "/tall")
	if w := browser.Eval[int](p, `window.innerWidth`); w != browser.PhoneWidth {
		t.Errorf("window.innerWidth %d on the phone, want %d", w, browser.PhoneWidth)
	}
	phone := filepath.Join(dir, "tall-phone.png")
	p.Screenshot(phone)
	assertPNG(t, phone, browser.PhoneWidth, 3000)

	p.Viewport(0, 0, false)
	// The page hears of its new size asynchronously.
	p.WaitTrue(`window.innerWidth === 1280`)
}

// assertPNG fails unless the file is a PNG width pixels wide and at
// least height high.
func assertPNG(t *testing.T, path string, width, height int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if c.Width != width || c.Height < height {
		t.Errorf("%s is %d×%d, want %d wide and at least %d high", path, c.Width, c.Height, width, height)
	}
}

func TestScreenshotDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "made", "here")
	t.Setenv(browser.EnvScreenshots, dir)
	if got := browser.ScreenshotDir(t); got != dir {
		t.Errorf("ScreenshotDir = %s, want $%s, %s", got, browser.EnvScreenshots, dir)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		t.Errorf("ScreenshotDir did not make %s: %v", dir, err)
	}

	t.Setenv(browser.EnvScreenshots, "")
	got := browser.ScreenshotDir(t)
	root := filepath.Dir(got)
	if filepath.Base(got) != "screenshots" {
		t.Errorf("ScreenshotDir = %s, want screenshots/ at the module's root", got)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Errorf("ScreenshotDir = %s, not beside a go.mod: %v", got, err)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"change list with filters, date hierarchy and actions": "change-list-with-filters-date-hierarchy-and-actions",
		"403 (permission denied)":                              "403-permission-denied",
		"Index":                                                "index",
	} {
		if got := browser.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}
