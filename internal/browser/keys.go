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

// focusRing is a JavaScript expression: the focus indicator of the
// element with the focus, its computed outline ("outline solid 2px") or
// else its box-shadow, "" when it shows neither.
const focusRing = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const s = getComputedStyle(e);
  if (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) return "outline " + s.outlineStyle + " " + s.outlineWidth;
  if (s.boxShadow && s.boxShadow !== "none") return "box-shadow " + s.boxShadow;
  return "";
})()`

// FocusRing returns the visible focus indicator of the element with the
// focus: its computed outline, else its box-shadow; "" when it has
// neither, or when nothing has the focus.
func (p *Page) FocusRing() string {
	p.t.Helper()
	return Eval[string](p, focusRing)
}

// CheckFocusRing fails the test unless the element with the focus shows
// a focus indicator (WCAG 2.4.7), naming it and where.
func (p *Page) CheckFocusRing(where string) {
	p.t.Helper()
	if p.FocusRing() == "" {
		p.t.Errorf("%s: the focused element %s shows no focus ring (outline and box-shadow none)", where, p.Focused())
	}
}
