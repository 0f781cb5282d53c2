package browser

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/chromedp/chromedp"
)

// WCAG are the axe-core tags of the rules of WCAG 2.0, 2.1 and 2.2 at
// levels A and AA, the rules Axe runs when given no tags.
var WCAG = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

// Violation is one axe-core rule a page breaks, with the elements that
// break it.
type Violation struct {
	Rule    string          `json:"id"`     // the rule, such as "color-contrast"
	Impact  string          `json:"impact"` // "minor", "moderate", "serious" or "critical"
	Help    string          `json:"help"`   // what the rule asks, in a sentence
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	Target  string `json:"target"`  // a CSS selector for the element
	HTML    string `json:"html"`    // the element's opening tag, as axe shows it
	Summary string `json:"summary"` // how to fix it
}

// Serious reports whether the violation's impact is serious or critical:
// what keeps some people from using the page.
func (v Violation) Serious() bool {
	return v.Impact == "serious" || v.Impact == "critical"
}

// String lists the rule, its impact, its help and each element, one a
// line.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s [%s]", v.Rule, v.Impact, v.Help, v.HelpURL)
	for i, n := range v.Nodes {
		if i == maxNodes {
			fmt.Fprintf(&b, "\n\t… and %d more", len(v.Nodes)-i)
			break
		}
		fmt.Fprintf(&b, "\n\t%s  %s", n.Target, firstLine(n.HTML))
		if n.Summary != "" {
			fmt.Fprintf(&b, "\n\t\t%s", strings.ReplaceAll(n.Summary, "\n", "\n\t\t"))
		}
	}
	return b.String()
}

// maxNodes is how many elements String lists; one rule broken in every
// row of a change list would bury the others.
const maxNodes = 5

// firstLine shortens an element's HTML to its first line, at most 160
// bytes: enough to find it.
func firstLine(html string) string {
	s, _, cut := strings.Cut(html, "\n")
	if len(s) > 160 {
		s, cut = s[:160], true
	}
	if cut {
		s += " …"
	}
	return s
}

// axeRun runs axe-core on the document, with only the rules of the tags
// (%s, a JSON array), and returns its violations in Violation's shape.
// A target is a list of selectors, one per frame or shadow root on the
// way to the element; nested lists are the shadow roots.
const axeRun = `(async () => {
  const r = await axe.run(document, {
    runOnly: {type: 'tag', values: %s},
    resultTypes: ['violations'],
  });
  const selector = (t) => t.map((s) => Array.isArray(s) ? s.join(' >>> ') : s).join(' | ');
  return r.violations.map((v) => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: selector(n.target), html: n.html, summary: n.failureSummary || ''})),
  }));
})()`

// Axe runs the accessibility checks of axe-core on the page as it is now
// and returns the rules it breaks. The checks are those of the tags (see
// the axe-core documentation), or of WCAG without tags.
//
// axe-core is the file $STAFFROOM_AXE names (axe.min.js of the npm
// package axe-core, which .ci/run installs); without it, Axe skips the
// test, or fails it when $STAFFROOM_REQUIRE_BROWSER is set.
func (p *Page) Axe(tags ...string) []Violation {
	p.t.Helper()
	if len(tags) == 0 {
		tags = WCAG
	}
	src := p.axeSource()
	if !Eval[bool](p, `typeof window.axe === "object"`) {
		// The script defines window.axe; it is evaluated as the page's
		// own scripts are, once for each document.
		run(p, "load axe-core", chromedp.Evaluate[chromedp.Void](src+"\n;void 0"))
	}
	list, _ := json.Marshal(tags)
	return run(p, "run axe-core", chromedp.Evaluate[[]Violation](fmt.Sprintf(axeRun, list), chromedp.EvalAwaitPromise))
}

// axeSource reads axe-core, once per page, or ends the test when it
// cannot.
func (p *Page) axeSource() string {
	p.t.Helper()
	if p.axe != "" {
		return p.axe
	}
	path := os.Getenv(EnvAxe)
	var err error
	if path == "" {
		err = fmt.Errorf("%s is not set", EnvAxe)
	} else {
		var b []byte
		if b, err = os.ReadFile(path); err == nil {
			p.axe = string(b)
			return p.axe
		}
		err = fmt.Errorf("%s=%s: %w", EnvAxe, path, err)
	}
	if os.Getenv(EnvRequire) != "" {
		p.t.Fatalf("browser: axe-core: %v (%s is set, so the accessibility checks are required)", err, EnvRequire)
	}
	p.t.Skipf("browser: axe-core: %v; set it to axe.min.js of the npm package axe-core to run the accessibility checks", err)
	return ""
}

// CheckAccessibility runs Axe with the WCAG rules on the page and fails
// the test, without stopping it, for each serious or critical violation,
// listing the rule, its impact, the elements that break it and the help;
// where names the page for the message. Minor and moderate violations
// are logged.
func (p *Page) CheckAccessibility(where string) {
	p.t.Helper()
	for _, v := range p.Axe() {
		if v.Serious() {
			p.t.Errorf("%s: accessibility: %s", where, v)
		} else {
			p.t.Logf("%s: accessibility (not failing): %s", where, v)
		}
	}
}
