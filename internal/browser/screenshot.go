package browser

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ScreenshotDir is the folder where tests save their screenshots as
// artifacts, for a reviewer to look at: $STAFFROOM_SCREENSHOTS, else
// screenshots/ at the root of the module under test (the nearest folder
// above the working directory with a go.mod), which .gitignore leaves
// out. It makes the folder when missing, and fails the test when it
// cannot.
func ScreenshotDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv(EnvScreenshots)
	if dir == "" {
		root, err := moduleRoot()
		if err != nil {
			t.Fatalf("browser: screenshots: %v; set %s", err, EnvScreenshots)
		}
		dir = filepath.Join(root, "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("browser: screenshots: %v", err)
	}
	return dir
}

// moduleRoot is the nearest folder above the working directory, or the
// working directory itself, holding a go.mod: where go test runs a
// package's tests from is that package's folder.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

var slugRun = regexp.MustCompile(`[^a-z0-9]+`)

// Slug makes a name such as "change list, filtered" a file name:
// lower case letters and digits joined by hyphens ("change-list-filtered").
func Slug(name string) string {
	return strings.Trim(slugRun.ReplaceAllString(strings.ToLower(name), "-"), "-")
}

// Screenshot saves the whole page as it is now, beyond the window's
// height, as a PNG file at path, making its folder when missing.
func (p *Page) Screenshot(path string) {
	p.t.Helper()
	png := run(p, "take a screenshot", fullPNG)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		p.t.Fatalf("browser: save the screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("browser: save the screenshot: %v", err)
	}
}

// fullPNG captures the whole page, as chromedp.FullScreenshot does, as a
// PNG encoded for speed: a test saving one of each page is not slowed
// much, and the files are only somewhat larger.
func fullPNG(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	yes := true
	r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		FromSurface:           &yes,
		CaptureBeyondViewport: &yes,
		OptimizeForSpeed:      &yes,
	})
	return r.Data, err
}

// Phone is the viewport of a small phone, in CSS pixels: the narrowest
// the admin's layout is made for.
const (
	PhoneWidth  = 360
	PhoneHeight = 740
)
