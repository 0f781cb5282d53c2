package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// console records the JavaScript errors of a page: uncaught exceptions
// and rejections, console.error calls, and the errors the browser itself
// logs to the console (a script or style sheet that fails to load, a
// refused Content-Security-Policy).
type console struct {
	mu     sync.Mutex
	errors []string
	// documents are the requests of pages loaded in the tab: a page sent
	// with an error status (a 404 page) is what its server meant, not a
	// resource the page failed to load.
	documents map[network.RequestID]bool
}

// listen starts recording the errors of the page of ctx. The listener
// runs in chromedp's reading loop, so it only formats and appends.
func (c *console) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = "uncaught " + exceptionText(ev.ExceptionDetails)
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
				return
			}
			msg = "console." + string(ev.Type) + ": " + argsText(ev.Args) + frameText(ev.StackTrace)
		case *network.EventResponseReceived:
			if ev.Type == network.ResourceTypeDocument {
				c.mu.Lock()
				if c.documents == nil {
					c.documents = map[network.RequestID]bool{}
				}
				c.documents[ev.RequestID] = true
				c.mu.Unlock()
			}
			return
		case *log.EventEntryAdded:
			e := ev.Entry
			if e == nil || e.Level != log.EntryLevelError || favicon(e) || c.document(e) {
				return
			}
			msg = string(e.Source) + ": " + e.Text
			if e.URL != "" {
				msg += " (" + e.URL + ")"
			}
		default:
			return
		}
		c.mu.Lock()
		c.errors = append(c.errors, msg)
		c.mu.Unlock()
	})
}

// favicon reports whether the entry is the browser's own request for
// /favicon.ico failing: no page asked for it, and a site that has no
// icon is not broken.
func favicon(e *log.Entry) bool {
	return e.Source == log.EntrySourceNetwork && strings.HasSuffix(e.URL, "/favicon.ico")
}

// document reports whether the entry is about a page's own document.
func (c *console) document(e *log.Entry) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return e.Source == log.EntrySourceNetwork && e.NetworkRequestID != "" && c.documents[e.NetworkRequestID]
}

// take returns the errors recorded since the last take.
func (c *console) take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	errs := c.errors
	c.errors = nil
	return errs
}

// exceptionText is the message of an uncaught exception with where it
// was thrown.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "exception"
	}
	text := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		// "Uncaught" and the exception's own first line: its class and message.
		text += " " + strings.SplitN(d.Exception.Description, "\n", 2)[0]
	}
	url := d.URL
	if url == "" && d.StackTrace != nil && len(d.StackTrace.CallFrames) > 0 {
		url = d.StackTrace.CallFrames[0].URL
	}
	if url != "" {
		text += fmt.Sprintf(" at %s:%d:%d", url, d.LineNumber+1, d.ColumnNumber+1)
	}
	return text
}

// argsText renders the arguments of a console call as the console
// shows them, roughly: strings bare, other values as JSON or by their
// description.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a == nil:
			continue
		case len(a.Value) > 0 && json.Unmarshal(a.Value, &s) == nil:
		case len(a.Value) > 0:
			s = string(a.Value)
		case a.Description != "":
			s = a.Description
		default:
			s = string(a.Type)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// frameText names where a console call was made, from its stack.
func frameText(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (at %s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

// JSErrors returns the JavaScript errors the page has shown in its
// console since it was opened or since the last call of JSErrors or
// CheckJSErrors: uncaught exceptions and promise rejections,
// console.error and console.assert failures, and the errors the browser
// logs (a resource that fails to load, a refused Content-Security-Policy).
// A page served with an error status, such as a 404 page, is not an
// error of its own, nor is the browser's request for /favicon.ico.
func (p *Page) JSErrors() []string {
	return p.console.take()
}

// CheckJSErrors fails the test, without stopping it, for each JavaScript
// error the page has shown since the last check (see JSErrors); where
// names the page or the step for the message.
func (p *Page) CheckJSErrors(where string) {
	p.t.Helper()
	for _, e := range p.JSErrors() {
		p.t.Errorf("%s: JavaScript error: %s", where, e)
	}
}
