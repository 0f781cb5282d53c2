package webtest

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// CheckErrorLinks fails t unless the page ties its form errors and help
// to their fields as assistive technology reads them: every id an
// aria-describedby names exists; every field error list (<ul
// class="errorlist" id="<id>_error">) is named by the aria-describedby of
// each input, select or textarea of its field (id "<id>", or "<id>_N"
// for a group of inputs), which are aria-invalid="true"; every help text
// ("<id>_helptext") is named by its field's inputs; and every link of the
// error summary points at an input, select or textarea of the page. It
// returns the summary's links, "label: message" by href.
func CheckErrorLinks(t testing.TB, r *Response) map[string]string {
	t.Helper()
	doc := r.Doc()
	ids := map[string]*goquery.Selection{}
	doc.Find("[id]").Each(func(_ int, s *goquery.Selection) { ids[s.AttrOr("id", "")] = s })
	doc.Find("[aria-describedby]").Each(func(_ int, s *goquery.Selection) {
		for _, id := range strings.Fields(s.AttrOr("aria-describedby", "")) {
			if ids[id] == nil {
				t.Errorf("%s names %q in aria-describedby, which the page lacks", describe(s), id)
			}
		}
	})
	controls := func(base string) *goquery.Selection {
		return doc.Find("input, select, textarea").FilterFunction(func(_ int, s *goquery.Selection) bool {
			id := s.AttrOr("id", "")
			return id == base || strings.HasPrefix(id, base+"_") && isDigits(strings.Split(id[len(base)+1:], "_"))
		}).Not(`[type="hidden"]`)
	}
	for _, suffix := range []string{"_error", "_helptext"} {
		doc.Find(`[id$="` + suffix + `"]`).Each(func(_ int, list *goquery.Selection) {
			id := list.AttrOr("id", "")
			fields := controls(strings.TrimSuffix(id, suffix))
			if fields.Length() == 0 {
				t.Errorf("%s belongs to no input", describe(list))
			}
			fields.Each(func(_ int, s *goquery.Selection) {
				if !hasToken(s.AttrOr("aria-describedby", ""), id) {
					t.Errorf("%s is not described by %s (aria-describedby=%q)", describe(s), id, s.AttrOr("aria-describedby", ""))
				}
				if suffix == "_error" && s.AttrOr("aria-invalid", "") != "true" {
					t.Errorf("%s has errors but no aria-invalid=\"true\"", describe(s))
				}
			})
		})
	}
	links := map[string]string{}
	doc.Find(".error-summary a").Each(func(_ int, a *goquery.Selection) {
		href := a.AttrOr("href", "")
		target := ids[strings.TrimPrefix(href, "#")]
		if !strings.HasPrefix(href, "#") || target == nil || !target.Is("input, select, textarea") {
			t.Errorf("the error summary's link %q (%s) points at no field", href, a.Text())
		}
		links[href] = strings.Join(strings.Fields(a.Text()), " ")
	})
	return links
}

func describe(s *goquery.Selection) string {
	return "<" + goquery.NodeName(s) + ` id="` + s.AttrOr("id", "") + `">`
}

func hasToken(list, token string) bool {
	for _, f := range strings.Fields(list) {
		if f == token {
			return true
		}
	}
	return false
}

func isDigits(parts []string) bool {
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	return len(parts) > 0
}
