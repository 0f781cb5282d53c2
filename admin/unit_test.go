package admin

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestQuoteRoundTrip(t *testing.T) {
	cases := map[string]string{
		"something\nor\nother": "something_0Aor_0Aother",
		"a/b":                  "a_2Fb",
		"under_score":          "under_5Fscore",
		"plain 'id' {ok}":      "plain 'id' {ok}",
	}
	for in, want := range cases {
		if got := Quote(in); got != want {
			t.Errorf("Quote(%q) = %q, want %q", in, got, want)
		}
		if got := Unquote(want); got != in {
			t.Errorf("Unquote(%q) = %q, want %q", want, got, in)
		}
	}
	pk := `abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 1234567890 -_.!~*'() ;/?:@&=+$, <>#%" {}|\^[]` + "`"
	if got := Unquote(Quote(pk)); got != pk {
		t.Errorf("round trip of Django's test pk: %q", got)
	}
	if got := Unquote("_zz_2"); got != "_zz_2" {
		t.Errorf("unknown codes must stay: %q", got)
	}
}

func TestParseRoute(t *testing.T) {
	cases := []struct {
		path string
		want route
	}{
		{"bookstore/", route{kind: routeAppIndex, app: "bookstore"}},
		{"bookstore/book/", route{kind: routeChangelist, app: "bookstore", model: "book"}},
		{"bookstore/book/add/", route{kind: routeAdd, app: "bookstore", model: "book"}},
		{"bookstore/book/7/change/", route{kind: routeChange, app: "bookstore", model: "book", id: "7"}},
		{"bookstore/book/7/delete/", route{kind: routeDelete, app: "bookstore", model: "book", id: "7"}},
		{"bookstore/book/7/history/", route{kind: routeHistory, app: "bookstore", model: "book", id: "7"}},
		{"bookstore/book/7/", route{kind: routeLegacyObject, app: "bookstore", model: "book", id: "7"}},
		{"bookstore/book/add/change/", route{kind: routeChange, app: "bookstore", model: "book", id: "add"}},
		{"bookstore/book/history/history/", route{kind: routeHistory, app: "bookstore", model: "book", id: "history"}},
		{"bookstore/book/a/b/change/", route{kind: routeChange, app: "bookstore", model: "book", id: "a/b"}},
		{"bookstore/book", route{}},
		{"", route{}},
		{"/", route{}},
	}
	for _, c := range cases {
		if got := parseRoute(c.path); got != c.want {
			t.Errorf("parseRoute(%q) = %+v, want %+v", c.path, got, c.want)
		}
	}
}

func TestPageLinks(t *testing.T) {
	render := func(links []pageLink) string {
		var parts []string
		for _, l := range links {
			switch {
			case l.Ellipsis:
				parts = append(parts, "…")
			case l.Current:
				parts = append(parts, "["+itoa(l.Number)+"]")
			default:
				parts = append(parts, itoa(l.Number))
			}
		}
		return strings.Join(parts, " ")
	}
	lq := listQuery{raw: url.Values{"q": {"go"}, "p": {"8"}}}
	cases := []struct {
		cur, pages int
		want       string
	}{
		{8, 15, "1 2 … 5 6 7 [8] 9 10 11 … 14 15"},
		{1, 3, "[1] 2 3"},
		{1, 15, "[1] 2 3 4 … 14 15"},
		{15, 15, "1 2 … 12 13 14 [15]"},
		{5, 10, "1 2 3 4 [5] 6 7 8 9 10"},
	}
	for _, c := range cases {
		if got := render(pageLinks(lq, c.cur, c.pages)); got != c.want {
			t.Errorf("page %d of %d: %s, want %s", c.cur, c.pages, got, c.want)
		}
	}
	if got := pageLinks(lq, 8, 15)[0].URL; got != "?p=1&q=go" {
		t.Errorf("page link keeps other params, sorted: %s", got)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestParseListQuery(t *testing.T) {
	lq, note := parseListQuery(url.Values{"p": {"x"}, "o": {"1.-2.zz.1"}, "q": {"a\x00b"}, "e": {"1"}, "name__icontains": {"go"}, "all": {""}})
	if lq.page != 1 || !lq.all || !lq.errFlag || lq.search != "" || note != "Null characters are not allowed." {
		t.Errorf("parsed %+v note %q", lq, note)
	}
	if want := []orderItem{{1, false}, {2, true}}; !reflect.DeepEqual(lq.order, want) {
		t.Errorf("order %v, want %v", lq.order, want)
	}
	if lq.filters.Get("name__icontains") != "go" || len(lq.filters) != 1 {
		t.Errorf("filters %v", lq.filters)
	}
}

func TestSmartSplit(t *testing.T) {
	cases := map[string][]string{
		`go  lang`:                {"go", "lang"},
		`"the go" language`:       {"the go", "language"},
		`'single quoted' x`:       {"single quoted", "x"},
		`say "a \"quoted\" word"`: {"say", `a "quoted" word`},
		`   `:                     nil,
	}
	for in, want := range cases {
		if got := smartSplit(in); !reflect.DeepEqual(got, want) {
			t.Errorf("smartSplit(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChangeMessages(t *testing.T) {
	if got := changedMessage([]string{"Name", "Price"}); got != `[{"changed": {"fields": ["Name", "Price"]}}]` {
		t.Errorf("changed message JSON: %s", got)
	}
	if got := changedMessage([]string{"Prix unitaire"}); got != `[{"changed": {"fields": ["Prix unitaire"]}}]` {
		t.Errorf("%s", got)
	}
	if got := changedMessage([]string{"Année"}); got != `[{"changed": {"fields": ["Ann\u00e9e"]}}]` {
		t.Errorf("non-ASCII must be escaped: %s", got)
	}
	cases := map[string]string{
		`[{"added": {}}]`: "Added.",
		`[{"changed": {"fields": ["Title", "History"]}}]`: "Changed Title and History.",
		`[{"changed": {"fields": ["A", "B", "C"]}}]`:      "Changed A, B and C.",
		`[]`:        "No fields changed.",
		`free text`: "free text",
		`[not json`: "[not json",
		`[{"added": {"name": "choice", "object": "Yes"}}]`:                      "Added choice “Yes”.",
		`[{"deleted": {"name": "choice", "object": "No"}}]`:                     "Deleted choice “No”.",
		`[{"changed": {"name": "choice", "object": "X", "fields": ["Votes"]}}]`: "Changed Votes for choice “X”.",
	}
	for msg, want := range cases {
		e := &LogEntry{ChangeMessage: msg}
		if got := e.Message(); got != want {
			t.Errorf("Message(%s) = %q, want %q", msg, got, want)
		}
	}
	e := &LogEntry{ActionFlag: Deletion, ObjectRepr: "Dune"}
	if e.String() != "Deleted “Dune.”" {
		t.Errorf("String() = %q", e.String())
	}
}

func TestDateFormats(t *testing.T) {
	cases := map[time.Time]string{
		time.Date(2026, 11, 21, 22, 15, 0, 0, time.UTC): "Nov. 21, 2026, 10:15 p.m.",
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC):     "March 1, 2026, midnight",
		time.Date(2026, 9, 9, 12, 0, 0, 0, time.UTC):    "Sept. 9, 2026, noon",
		time.Date(2026, 6, 2, 9, 0, 0, 0, time.UTC):     "June 2, 2026, 9 a.m.",
	}
	for in, want := range cases {
		if got := formatDateTime(in, time.UTC); got != want {
			t.Errorf("formatDateTime(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestPageWindow(t *testing.T) {
	cases := []struct {
		total, per int
		param      string
		want       inlinePage
	}{
		{0, 50, "", inlinePage{1, 1, 0}},
		{50, 50, "2", inlinePage{1, 1, 50}},
		{60, 50, "", inlinePage{1, 2, 60}},
		{60, 50, "2", inlinePage{2, 2, 60}},
		{60, 50, "9", inlinePage{2, 2, 60}},
		{60, 50, "-1", inlinePage{1, 2, 60}},
		{60, 50, "x", inlinePage{1, 2, 60}},
		{101, 50, "3", inlinePage{3, 3, 101}},
	}
	for _, c := range cases {
		if got := pageWindow(c.total, c.per, c.param); got != c.want {
			t.Errorf("pageWindow(%d, %d, %q) = %+v, want %+v", c.total, c.per, c.param, got, c.want)
		}
	}
}

// TestObjectPath: an object id in a URL is admin-quoted, then
// percent-encoded as Django's reverse does (sub-delimiters kept).
func TestObjectPath(t *testing.T) {
	cases := map[string]string{
		"42":                      "42",
		"a b/c_d!é'()*~":          "a%20b_2Fc_5Fd!%C3%A9'()*~",
		"x?y#z":                   "x_3Fy_23z",
		"{50%}":                   "%7B50_25%7D",
		"f7fb46ff-67c1-4a4a-bfa7": "f7fb46ff-67c1-4a4a-bfa7",
	}
	for in, want := range cases {
		if got := objectPath(in); got != want {
			t.Errorf("objectPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzObjectPath: any id survives the trip through a URL path segment:
// the path has no separator of its own, and the server's decoding then
// Unquote give the id back.
func FuzzObjectPath(f *testing.F) {
	for _, s := range []string{"a_b/c d é", "_5F", "%2F", "add", "\n", `abc ;/?:@&=+$, <>#%" {}|\^[]`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		p := objectPath(id)
		if strings.ContainsAny(p, "/?# ") {
			t.Fatalf("objectPath(%q) = %q holds a separator", id, p)
		}
		dec, err := url.PathUnescape(p)
		if err != nil {
			t.Fatalf("objectPath(%q) = %q does not decode: %v", id, p, err)
		}
		if got := Unquote(dec); got != id {
			t.Fatalf("objectPath(%q) = %q comes back as %q", id, p, got)
		}
	})
}

// TestFilterChoicesHTML: the filter choices rendered in Go are the bytes
// html/template makes of them, for awkward labels and links; a link that
// is not a plain query string is left to the template.
func TestFilterChoicesHTML(t *testing.T) {
	tmpl := templateRange(t, "change_list.html", `{{range .Choices}}<li{{if .Selected}}`, `</li>{{end}}`)
	choices := []FilterChoice{
		{Display: "All", QueryString: "?", Selected: true},
		{Display: `Tom & Jerry's <"best">`, QueryString: "?publisher__id__exact=3&q=caf%C3%A9+au+lait"},
		{Display: "Ödön\x00 1+1", QueryString: "?a=%281%29&b=x;y,z*@/~!$"},
	}
	var want strings.Builder
	if err := tmpl.Execute(&want, filterBox{Choices: choices}); err != nil {
		t.Fatal(err)
	}
	if got := (filterBox{Choices: choices}).ChoicesHTML(); string(got) != want.String() {
		t.Errorf("ChoicesHTML:\n%s\nthe template:\n%s", got, want.String())
	}
	for _, qs := range []string{"javascript:alert(1)", "?x=javascript:alert(1)", "?q=a b", "?q=é", `?q="x"`, "?q=<x>", "?q=(x)", "?q='x'"} {
		if got := (filterBox{Choices: []FilterChoice{{Display: "x", QueryString: qs}}}).ChoicesHTML(); got != "" {
			t.Errorf("%q rendered in Go: %s", qs, got)
		}
	}
}

// TestDateChoicesHTML: the drill-down's items rendered in Go are the
// template's bytes; a link that is not a plain query string is left to
// the template.
func TestDateChoicesHTML(t *testing.T) {
	tmpl := templateRange(t, "change_list.html", `{{range .Choices}}<li>{{if .URL}}`, `</li>{{end}}`)
	choices := []dateLink{{"2024", "?pubdate__year=2024&q=a%2Bb+c"}, {"March <2024> & 'so' +1", "?pubdate__month=3&pubdate__year=2024"}, {"March 2", ""}}
	var want strings.Builder
	if err := tmpl.Execute(&want, dateHierarchyNav{Choices: choices}); err != nil {
		t.Fatal(err)
	}
	if got := (dateHierarchyNav{Choices: choices}).ChoicesHTML(); string(got) != want.String() {
		t.Errorf("ChoicesHTML:\n%s\nthe template:\n%s", got, want.String())
	}
	if got := (dateHierarchyNav{Choices: []dateLink{{"x", "javascript:x"}}}).ChoicesHTML(); got != "" {
		t.Errorf("a script link rendered in Go: %s", got)
	}
}

// TestNavModelsHTML: the sidebar's model rows rendered in Go are the
// template's bytes; a link that is not a plain path is left to the
// template.
func TestNavModelsHTML(t *testing.T) {
	tmpl := templateRange(t, "base.html", "{{range .Models}}\n  <tr class=\"model-", "</tr>\n  {{end}}")
	app := AppListItem{Models: []AppListModel{
		{Name: "Books", ModelName: "book", AdminURL: "/admin/bookstore/book/", AddURL: "/admin/bookstore/book/add/", Current: true},
		{Name: `Tom & Jerry's <"cartoons"> +1`, ModelName: "cartoon", AdminURL: "/admin/a%20b/c_2Fd/"},
		{Name: "Hidden", ModelName: "hidden"},
	}}
	var want strings.Builder
	if err := tmpl.Execute(&want, app); err != nil {
		t.Fatal(err)
	}
	if got := app.NavModelsHTML(); string(got) != want.String() {
		t.Errorf("NavModelsHTML:\n%s\nthe template:\n%s", got, want.String())
	}
	for _, href := range []string{"javascript:alert(1)", "//evil.example/", "/a b/", "https://example.com/"} {
		bad := AppListItem{Models: []AppListModel{{Name: "x", ModelName: "x", AdminURL: href}}}
		if got := bad.NavModelsHTML(); got != "" {
			t.Errorf("%q rendered in Go: %s", href, got)
		}
		bad.Models[0].AdminURL, bad.Models[0].AddURL = "/ok/", href
		if got := bad.NavModelsHTML(); got != "" {
			t.Errorf("add link %q rendered in Go: %s", href, got)
		}
	}
}

// TestHeadersHTML: the column headers rendered in Go are the template's
// bytes, sorted by one column or two, or not at all; a sort link that
// is not a plain query string is left to the template.
func TestHeadersHTML(t *testing.T) {
	tmpl := templateRange(t, "change_list.html", "{{range .Headers}}", "</th>\n          {{end}}")
	headers := []header{
		{Text: "Name", Class: "sortable sorted ascending column-name", Sortable: true, SortPriority: 1, Ascending: true, URL: "?o=-1.2", RemoveURL: "?o=2", ToggleURL: "?o=-1.2"},
		{Text: "Price & <tax>", Class: "sortable sorted descending column-price", Sortable: true, SortPriority: 2, URL: "?o=2.1", RemoveURL: "?o=1", ToggleURL: "?o=1.2"},
		{Text: "Pages", Class: "sortable column-pages", Sortable: true, URL: "?o=3.1.-2"},
		{Text: "Is 'new'", Class: "column-is_new"},
	}
	for _, sortCount := range []int{0, 1, 2} {
		var want strings.Builder
		if err := tmpl.Execute(&want, map[string]any{"Headers": headers, "SortCount": sortCount}); err != nil {
			t.Fatal(err)
		}
		if got := headersHTML(headers, sortCount); string(got) != want.String() {
			t.Errorf("sort count %d: headersHTML:\n%s\nthe template:\n%s", sortCount, got, want.String())
		}
	}
	for _, bad := range []header{
		{Text: "x", Sortable: true, URL: "javascript:x"},
		{Text: "x", Sortable: true, SortPriority: 1, URL: "?o=1", RemoveURL: "?o= 1", ToggleURL: "?o=-1"},
		{Text: "x", Sortable: true, SortPriority: 1, URL: "?o=1", RemoveURL: "?o=", ToggleURL: "//x"},
	} {
		if got := headersHTML([]header{bad}, 1); got != "" {
			t.Errorf("%+v rendered in Go: %s", bad, got)
		}
	}
}

// TestPageLinksHTML: the paginator's links rendered in Go are the
// template's bytes; a link that is not a plain query string is left to
// the template.
func TestPageLinksHTML(t *testing.T) {
	tmpl := templateRange(t, "change_list.html", "{{range .PageLinks}}", "</a> {{end}}{{end}}")
	links := []pageLink{{Number: 1, URL: "?p=1&q=a+b"}, {Ellipsis: true}, {Number: 7, Current: true}, {Number: 8, URL: "?p=8"}, {Number: 40, URL: "?p=40", End: true}}
	var want strings.Builder
	if err := tmpl.Execute(&want, map[string]any{"PageLinks": links}); err != nil {
		t.Fatal(err)
	}
	if got := pageLinksHTML(links); string(got) != want.String() {
		t.Errorf("pageLinksHTML:\n%s\nthe template:\n%s", got, want.String())
	}
	if got := pageLinksHTML([]pageLink{{Number: 2, URL: "javascript:x"}}); got != "" {
		t.Errorf("a script link rendered in Go: %s", got)
	}
}

// templateRange parses the range action of the admin template file that
// runs from start to end, for a test to compare what Go renders in its
// place with what the template itself renders.
func templateRange(t *testing.T, file, start, end string) *template.Template {
	t.Helper()
	src, err := templateFS.ReadFile("templates/admin/" + file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(src)
	i := strings.Index(text, start)
	j := strings.Index(text[max(i, 0):], end)
	if i < 0 || j < 0 {
		t.Fatalf("%s: no range from %q to %q", file, start, end)
	}
	return template.Must(template.New(file).Parse(text[i : i+j+len(end)]))
}

// TestWriteHTMLEscaped: the rows' escaper writes what
// template.HTMLEscapeString makes, and idString what fmt.Sprint does.
func TestWriteHTMLEscaped(t *testing.T) {
	for _, s := range []string{"", "plain", `<b>"Tom's" & co</b>`, "nul\x00byte", "tail&", "&lead", "ünïcode ☃ <>", "a+b=c"} {
		var b strings.Builder
		writeHTMLEscaped(&b, s)
		if want := template.HTMLEscapeString(s); b.String() != want {
			t.Errorf("writeHTMLEscaped(%q) = %q, want %q", s, b.String(), want)
		}
	}
	type named string
	for _, pk := range []any{int64(-42), 7, int32(3), "a/b", named("n"), uint(9), 1.5} {
		if got, want := idString(pk), fmt.Sprint(pk); got != want {
			t.Errorf("idString(%#v) = %q, want %q", pk, got, want)
		}
	}
}

// TestURLAttr: a URL written by writeURLAttr into an attribute is what
// html/template writes there: schemes filtered, bytes normalised, the
// attribute escaped; and plainURL vouches only for URLs it leaves alone.
func TestURLAttr(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<a href="{{.}}"></a>`))
	urls := []string{"", "/", "?", "?q=a+b&o=1", "/admin/", "https://example.com/a?b=c#d", "HTTP://x", "mailto:a@b",
		"javascript:alert(1)", "data:x", " javascript:x", "/a:b", "a/b:c", "//host/p", "?q=%zz&r=%41%4", "%", "%4",
		"?q=\"'<>\x00 \t\n", "/été/日本", "/a[b]!$*,;=@~", "?x=\xff\xfe", "#frag", "?q=(x)`{}|\\^"}
	for c := 0; c < 128; c++ {
		urls = append(urls, "/p"+string(rune(c))+"q", "?"+string(rune(c)))
	}
	for _, u := range urls {
		var want strings.Builder
		if err := tmpl.Execute(&want, u); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		got.WriteString(`<a href="`)
		writeURLAttr(&got, u)
		got.WriteString(`"></a>`)
		if got.String() != want.String() {
			t.Errorf("%q: writeURLAttr %s, the template %s", u, got.String(), want.String())
		}
		if plainURL(u) && `<a href="`+templateEscaper.Replace(u)+`"></a>` != want.String() {
			t.Errorf("%q: plainURL vouches for it, the template writes %s", u, want.String())
		}
	}
}

// TestFilterLinkLikeEncode: filterLink writes what merging the values
// into a url.Values and encoding it gives.
func TestFilterLinkLikeEncode(t *testing.T) {
	want := func(lq listQuery, set url.Values, remove []string) string {
		v := url.Values{}
		for k, vs := range lq.raw {
			if k != paramPage && k != paramError && !hasAnyPrefix(k, remove) {
				v[k] = vs
			}
		}
		for k, vs := range set {
			v[k] = vs
		}
		return "?" + v.Encode()
	}
	raws := []url.Values{
		{},
		{"p": {"3"}, "e": {"1"}, "q": {"a b&c"}},
		{"publisher__id__exact": {"3"}, "pubdate__year": {"2020"}, "pubdate__month": {"5"}, "o": {"1.-2"}, "q": {"ü=+"}, "_facets": {"True"}},
		{"tags": {"x", "y"}, "p": {"2"}, "z": {""}},
	}
	sets := []url.Values{nil, {"p": {"9"}}, {"publisher__id__exact": {"7"}}, {"pubdate__year": {"1999"}, "q": {"new"}}, {"tags": {}}, {"a&b": {"c/d"}}}
	removes := [][]string{nil, {"pubdate__"}, {"publisher__", "pubdate__"}, {"q", "tags"}}
	for _, raw := range raws {
		for _, set := range sets {
			for _, remove := range removes {
				lq := listQuery{raw: raw}
				if got, w := lq.filterLink(set, remove), want(lq, set, remove); got != w {
					t.Errorf("filterLink(%v, %v) on %v = %q, want %q", set, remove, raw, got, w)
				}
			}
		}
	}
}
