package browser

import (
	"net/url"
	"testing"
)

func TestForeign(t *testing.T) {
	want, _ := url.Parse("http://127.0.0.1:8000")
	for _, tc := range []struct {
		url     string
		foreign bool
	}{
		{"http://127.0.0.1:8000/admin/", false},
		{"http://127.0.0.1:8000/static/admin/css/base.css?v=1", false},
		{"data:image/svg+xml;base64,PHN2Zz4=", false},
		{"blob:http://127.0.0.1:8000/0b0e6b6c-8f4a", false},
		{"about:blank", false},
		{"http://127.0.0.1:8001/x.png", true},
		{"https://127.0.0.1:8000/", true},
		{"http://localhost:8000/", true},
		{"https://cdn.example.com/jquery.js", true},
		{"//cdn.example.com/x.js", true},
		{"http://[::1", true},
	} {
		if got := foreign(tc.url, want); got != tc.foreign {
			t.Errorf("foreign(%q) = %v, want %v", tc.url, got, tc.foreign)
		}
	}
	def, _ := url.Parse("https://example.org")
	if foreign("https://EXAMPLE.org:443/a", def) {
		t.Error("the default port and the host's case make another origin")
	}
}
