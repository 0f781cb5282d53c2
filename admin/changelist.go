package admin

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// The change list's reserved query parameters (contract §2.1).
const (
	paramPage    = "p"
	paramAll     = "all"
	paramOrder   = "o"
	paramSearch  = "q"
	paramError   = "e"
	paramFilters = "_changelist_filters"
	paramFacets  = "_facets"
	// paramCount ("_count=exact") asks for an exact count of a list past
	// ExactCountLimit, a Staffroom addition.
	paramCount = "_count"
)

// reservedParams are the change list's own query parameters, which no
// filter may use.
var reservedParams = map[string]bool{paramPage: true, paramAll: true, paramOrder: true, paramSearch: true,
	paramError: true, paramFilters: true, "_popup": true, "_to_field": true, paramFacets: true, paramCount: true, paramAfter: true}

// listQuery is the change list's query string, parsed once.
type listQuery struct {
	page    int // 1-based; 1 when absent or not a number
	all     bool
	order   []orderItem
	search  string
	errFlag bool
	facets  bool       // _facets: show the filters' counts
	exact   bool       // _count=exact: count past ExactCountLimit
	after   string     // _after: the keyset cursor the page starts after
	filters url.Values // every other parameter: field lookups
	raw     url.Values // the whole query, for building links
}

// orderItem is one "[-]N" entry of the o parameter.
type orderItem struct {
	col  int
	desc bool
}

// parseListQuery reads a change list's query string. Unparsable o entries
// are skipped, as Django does; a NUL in the search term is reported.
func parseListQuery(q url.Values) (listQuery, string) {
	lq := listQuery{page: 1, filters: url.Values{}, raw: url.Values{}}
	var note string
	for k, vs := range q {
		if k == paramError {
			lq.errFlag = true
			continue
		}
		if k == paramAfter {
			// Only the Next link carries it; no other link may.
			lq.after = vs[len(vs)-1]
			continue
		}
		lq.raw[k] = vs
		switch k {
		case paramPage:
			if n, err := strconv.Atoi(vs[len(vs)-1]); err == nil {
				lq.page = n
			}
		case paramAll:
			lq.all = true
		case paramOrder:
			lq.order = parseOrder(vs[len(vs)-1])
		case paramSearch:
			lq.search = vs[len(vs)-1]
			if strings.ContainsRune(lq.search, 0) {
				lq.search, note = "", "Null characters are not allowed."
				delete(lq.raw, k)
			} else if cut, ok := cutSearch(lq.search); ok {
				lq.search, note = cut, fmt.Sprintf("The search was cut to its first %d characters and %d words.", MaxSearchLength, MaxSearchWords)
				lq.raw[k] = []string{cut}
			}
		case paramFacets:
			lq.facets = true
		case paramCount:
			lq.exact = vs[len(vs)-1] == "exact"
		case paramFilters, "_popup", "_to_field":
		default:
			lq.filters[k] = vs
		}
	}
	return lq, note
}

// MaxSearchLength and MaxSearchWords bound a change list's search term:
// a longer one is cut, with a message, so that a search never makes the
// database match patterns longer or more numerous than it can (SQLite
// refuses LIKE patterns past 50,000 bytes).
const (
	MaxSearchLength = 256
	MaxSearchWords  = 32
)

// cutSearch cuts a search term to MaxSearchLength characters and
// MaxSearchWords words; ok reports whether it had to.
func cutSearch(term string) (string, bool) {
	cut := false
	if r := []rune(term); len(r) > MaxSearchLength {
		term, cut = string(r[:MaxSearchLength]), true
	}
	if words := strings.Fields(term); len(words) > MaxSearchWords {
		term, cut = strings.Join(words[:MaxSearchWords], " "), true
	}
	return term, cut
}

func parseOrder(s string) []orderItem {
	var out []orderItem
	seen := map[int]bool{}
	for _, part := range strings.Split(s, ".") {
		desc := strings.HasPrefix(part, "-")
		n, err := strconv.Atoi(strings.TrimPrefix(part, "-"))
		if err != nil || n < 0 || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, orderItem{col: n, desc: desc})
	}
	return out
}

// encodeOrder writes o's value back.
func encodeOrder(items []orderItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = strconv.Itoa(it.col)
		if it.desc {
			parts[i] = "-" + parts[i]
		}
	}
	return strings.Join(parts, ".")
}

// link builds a change list query string from the current one, without
// the page, with keys in set replaced and keys in remove dropped; keys are
// sorted as Django sorts them.
func (lq listQuery) link(set map[string]string, remove ...string) string {
	v := url.Values{}
	for k, vs := range lq.raw {
		if k == paramPage {
			continue
		}
		v[k] = vs
	}
	for _, k := range remove {
		delete(v, k)
	}
	for k, val := range set {
		v.Set(k, val)
	}
	return "?" + v.Encode() // Encode sorts by key
}
