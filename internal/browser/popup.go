package browser

import (
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// Popup runs open, a step that makes the page open a window (a link
// whose script calls window.open), and returns that window as a Page of
// the same test, its console read as the opener's is. The popup may close
// itself; its Page is left alone when the test ends.
func (p *Page) Popup(open func()) *Page {
	p.t.Helper()
	opened := chromedp.WaitNewTarget(p.ctx, func(info *target.Info) bool {
		return info.Type == "page" && info.OpenerID != ""
	})
	open()
	var id target.ID
	select {
	case id = <-opened:
	case <-time.After(Timeout):
		p.t.Fatalf("browser: no popup window opened in %s", Timeout)
	}
	ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(id))
	popup := &Page{t: p.t, ctx: ctx, console: new(console)}
	p.t.Cleanup(func() {
		for _, e := range popup.console.take() {
			p.t.Errorf("browser: JavaScript error in the popup's console: %s", e)
		}
		cancel()
	})
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatalf("browser: attach to the popup: %v", err)
	}
	if err := popup.console.listen(ctx); err != nil {
		p.t.Fatalf("browser: listen to the popup's console: %v", err)
	}
	return popup
}
