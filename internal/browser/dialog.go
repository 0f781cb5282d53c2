package browser

import (
	"sync"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Dialogs answers the JavaScript dialogs of a page (alert, confirm,
// prompt, and the "Leave site?" confirmation of a beforeunload handler)
// and records them. Without one, a dialog stays open and the page waits
// for it.
type Dialogs struct {
	mu     sync.Mutex
	accept bool
	opened []string
}

// Dialogs starts answering the dialogs the page opens from now on:
// accepted when accept is true, else dismissed (a dismissed beforeunload
// confirmation keeps the page).
func (p *Page) Dialogs(accept bool) *Dialogs {
	d := &Dialogs{accept: accept}
	events := chromedp.Events(p.ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return // the page is closed
			}
			d.mu.Lock()
			d.opened = append(d.opened, string(ev.Type))
			params := page.HandleJavaScriptDialogParams{Accept: d.accept}
			d.mu.Unlock()
			// The answer is a command, sent apart from the loop that
			// receives the events, as chromedp asks.
			go func() { _, _ = chromedp.Call(p.ctx, page.HandleJavaScriptDialog, params) }()
		}
	}()
	return d
}

// Accept sets whether the dialogs opened from now on are accepted.
func (d *Dialogs) Accept(accept bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.accept = accept
}

// Opened lists the types of the dialogs opened so far, in order:
// "alert", "confirm", "prompt" or "beforeunload".
func (d *Dialogs) Opened() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.opened...)
}
