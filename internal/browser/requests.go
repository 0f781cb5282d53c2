package browser

import (
	"context"
	"net/url"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// requests records the addresses a page asks the network for.
type requests struct {
	mu   sync.Mutex
	urls []string
}

// listen starts recording the requests of the page of ctx: every one the
// browser is about to send, a redirect's next address included, before
// a host name is even looked up.
func (r *requests) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok || e.Request == nil {
			return
		}
		r.mu.Lock()
		r.urls = append(r.urls, e.Request.URL)
		r.mu.Unlock()
	})
}

// take returns the addresses recorded since the last take.
func (r *requests) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	urls := r.urls
	r.urls = nil
	return urls
}

// Requests returns, in order, the addresses the page has asked the
// network for since it was opened or since the last call of Requests or
// CheckSameOrigin: its documents, scripts, style sheets, images, fonts
// and fetches, and where a redirect sent them.
func (p *Page) Requests() []string {
	return p.reqs.take()
}

// CheckSameOrigin fails the test, without stopping it, for each request
// of the page since the last check (see Requests) to another origin
// than origin's, a URL such as an httptest server's: a page must load
// nothing from a server but its own. Addresses that name no server
// (data:, blob:, about:) are allowed. where names the page or the step
// for the message.
func (p *Page) CheckSameOrigin(where, origin string) {
	p.t.Helper()
	want, err := url.Parse(origin)
	if err != nil || want.Host == "" {
		p.t.Fatalf("browser: CheckSameOrigin: %q is not an origin", origin)
	}
	for _, u := range p.Requests() {
		if foreign(u, want) {
			p.t.Errorf("%s: a request to another origin than %s://%s: %s", where, want.Scheme, want.Host, u)
		}
	}
}

// foreign reports whether the address u is served from another origin
// (scheme, host and port) than want.
func foreign(u string, want *url.URL) bool {
	got, err := url.Parse(u)
	if err != nil {
		return true
	}
	switch got.Scheme {
	case "data", "blob", "about":
		return false
	}
	return got.Scheme != want.Scheme || !strings.EqualFold(got.Hostname(), want.Hostname()) || port(got) != port(want)
}

// port is the URL's port, or its scheme's default.
func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch u.Scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}
