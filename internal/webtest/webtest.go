// Package webtest drives a handler through real HTTP the way a browser
// does, for tests: cookies kept, redirects inspected, HTML parsed and
// forms submitted with what their inputs hold.
package webtest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Client is a browser-like client of one test server.
type Client struct {
	t    testing.TB
	URL  string // the server's base URL
	http *http.Client
	// NoOrigin stops the client from sending an Origin header, as some
	// old browsers and scripts do.
	NoOrigin bool
}

// New starts a test server for h, closed at the end of the test, and
// returns a client with an empty cookie jar.
func New(t testing.TB, h http.Handler) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return NewClient(t, srv.URL)
}

// NewClient returns a client with its own cookie jar for a running server.
func NewClient(t testing.TB, base string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, URL: base, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Response is a fetched page.
type Response struct {
	*http.Response
	Body string
	doc  *goquery.Document
	t    testing.TB
}

// Get fetches a path (or absolute URL).
func (c *Client) Get(path string) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.abs(path), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// Post sends url-encoded values, as a form would.
func (c *Client) Post(path string, values url.Values) *Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.abs(path), strings.NewReader(values.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if !c.NoOrigin {
		req.Header.Set("Origin", c.URL)
	}
	return c.Do(req)
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) *Response {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return &Response{Response: resp, Body: string(b), t: c.t}
}

func (c *Client) abs(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return c.URL + path
}

// Follow fetches the Location of a redirect.
func (c *Client) Follow(r *Response) *Response {
	c.t.Helper()
	loc := r.Header.Get("Location")
	if loc == "" {
		c.t.Fatalf("not a redirect: %d %s", r.StatusCode, r.Request.URL)
	}
	u, err := r.Request.URL.Parse(loc)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Get(u.String())
}

// Cookie returns the value of a cookie the client holds for the server.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Doc parses the body as HTML.
func (r *Response) Doc() *goquery.Document {
	r.t.Helper()
	if r.doc == nil {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
		if err != nil {
			r.t.Fatal(err)
		}
		r.doc = doc
	}
	return r.doc
}

// Find selects elements by CSS selector.
func (r *Response) Find(selector string) *goquery.Selection { return r.Doc().Find(selector) }

// Text returns the text of the elements the selector matches, white space
// folded, elements separated by a space.
func (r *Response) Text(selector string) string {
	var parts []string
	r.Find(selector).Each(func(_ int, s *goquery.Selection) {
		if t := strings.Join(strings.Fields(s.Text()), " "); t != "" {
			parts = append(parts, t)
		}
	})
	return strings.Join(parts, " ")
}

// Location returns the redirect target.
func (r *Response) Location() string { return r.Header.Get("Location") }

// FormValues returns what a form would submit: its inputs' values (checked
// boxes only), selected options and textareas, without any buttons.
func (r *Response) FormValues(selector string) (action string, values url.Values) {
	r.t.Helper()
	form := r.Find(selector)
	if form.Length() == 0 {
		r.t.Fatalf("no form %q on %s:\n%s", selector, r.Request.URL, r.Body)
	}
	values = url.Values{}
	form.Find("input").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		val, hasValue := s.Attr("value")
		switch {
		case name == "" || typ == "submit" || typ == "button":
		case typ == "checkbox" || typ == "radio":
			if _, checked := s.Attr("checked"); checked {
				if !hasValue { // as a browser does; value="" sends ""
					val = "on"
				}
				values.Add(name, val)
			}
		default:
			values.Add(name, val)
		}
	})
	form.Find("textarea").Each(func(_ int, s *goquery.Selection) {
		if name, ok := s.Attr("name"); ok {
			values.Add(name, s.Text())
		}
	})
	form.Find("select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		s.Find("option[selected]").Each(func(_ int, o *goquery.Selection) {
			v, _ := o.Attr("value")
			values.Add(name, v)
		})
	})
	action, _ = form.Attr("action")
	base := r.Request.URL
	u, err := base.Parse(action)
	if err != nil {
		r.t.Fatal(err)
	}
	return u.String(), values
}

// Submit posts a form of a page with its current values, changed by set
// (a key set to nil is removed), pressing the named button ("" for none).
func (c *Client) Submit(page *Response, selector string, set url.Values, button string) *Response {
	c.t.Helper()
	action, values := page.FormValues(selector)
	for k, v := range set {
		if v == nil {
			values.Del(k)
			continue
		}
		values[k] = v
	}
	if button != "" {
		values.Set(button, "1")
	}
	return c.Post(action, values)
}

// SetCookie puts a cookie for the server in the client's jar, as an
// attacker who planted one in the browser would.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}
