package webtest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/webtest"
)

// recorder is a testing.TB that keeps the errors it is given.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCheckErrorLinks(t *testing.T) {
	for _, tc := range []struct {
		name, html string
		want       string // a word of the one error expected; "" for none
	}{
		{"good", `<ul class="error-summary"><li><a href="#id_a_0">A: bad</a></li></ul>
<ul class="errorlist" id="id_a_error"><li>bad</li></ul>
<input id="id_a_0" aria-invalid="true" aria-describedby="id_a_helptext id_a_error"><input id="id_a_1" aria-invalid="true" aria-describedby="id_a_error id_a_helptext">
<div id="id_a_helptext">help</div><input id="id_b" aria-describedby="id_b_helptext"><div id="id_b_helptext">help</div>`, ""},
		{"dangling", `<input id="id_a" aria-describedby="id_a_helptext">`, "lacks"},
		{"not invalid", `<ul class="errorlist" id="id_a_error"></ul><input id="id_a" aria-describedby="id_a_error">`, "aria-invalid"},
		{"help unlinked", `<div id="id_a_helptext"></div><input id="id_a">`, "not described"},
		{"bad link", `<ul class="error-summary"><li><a href="#id_z">Z: bad</a></li></ul>`, "no field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := webtest.New(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				fmt.Fprint(w, "<!doctype html><title>t</title>"+tc.html)
			}))
			rec := &recorder{TB: t}
			webtest.CheckErrorLinks(rec, c.Get("/"))
			switch {
			case tc.want == "" && len(rec.errs) > 0:
				t.Errorf("errors on a good page: %q", rec.errs)
			case tc.want != "" && (len(rec.errs) != 1 || !strings.Contains(rec.errs[0], tc.want)):
				t.Errorf("errors %q, want one with %q", rec.errs, tc.want)
			}
		})
	}
}
