package browser

import (
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Modifier keys held by Press.
const (
	Ctrl  = kb.ModifierCtrl
	Shift = kb.ModifierShift
	Alt   = kb.ModifierAlt
	Meta  = kb.ModifierMeta
)

// Press types keys into whatever has the focus, as a person does on the
// keyboard, holding the modifiers: Press("k", browser.Ctrl) for Ctrl-K,
// Press(kb.ArrowDown) for a named key from chromedp's kb package.
func (p *Page) Press(keys string, modifiers ...kb.Modifier) {
	p.t.Helper()
	var opts []chromedp.KeyOption
	if len(modifiers) > 0 {
		opts = append(opts, chromedp.KeyModifiers(modifiers...))
	}
	p.do("press "+keys, chromedp.KeyEvent(keys, opts...))
}

// Focused returns a description of the element with the focus: its id,
// else its name, else its tag name.
func (p *Page) Focused() string {
	p.t.Helper()
	return Eval[string](p, `(() => { const e = document.activeElement; return e ? (e.id || e.getAttribute("name") || e.tagName.toLowerCase()) : ""; })()`)
}
