package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/staffroom/staffroom/orm"
)

// The command palette (beyond Django) is bounded like every page: it
// searches at most paletteMaxAdmins admins for a term, and shows at most
// palettePerModel objects of each.
const (
	paletteMaxAdmins = 20
	palettePerModel  = 5
	paletteMinTerm   = 2   // characters a term needs before objects are searched
	paletteMaxTerm   = 200 // characters of a term that are used
)

// paletteModel is a model the palette offers: its change list, and its
// add page when the user may add.
type paletteModel struct {
	Name   string `json:"name"`
	App    string `json:"app"`
	URL    string `json:"url,omitempty"`
	AddURL string `json:"add_url,omitempty"`
}

// paletteObject is an object the palette offers: a recent one or a search
// result, linked to its change (or view) page.
type paletteObject struct {
	Text string `json:"text"`
	Type string `json:"type"`
	URL  string `json:"url"`
}

// paletteAnswer is the JSON of palette/.
type paletteAnswer struct {
	Models  []paletteModel  `json:"models"`
	Recent  []paletteObject `json:"recent"`
	Objects []paletteObject `json:"objects"`
	// More is set when some admin was not searched or had more matches.
	More bool `json:"more"`
}

// paletteView serves palette/?term=…, the data of the command palette
// that Ctrl-K (Cmd-K) opens on every page: the models the user may see
// whose name holds the term, the user's recent objects when the term is
// empty, and the objects that the search of each registered admin with
// SearchFields finds for a term of two characters or more — each admin's
// own GetSearchResults over its own GetQueryset, and only where the user
// has view or change permission, so the palette shows nothing the change
// lists would not.
func (s *Site) paletteView(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return &httpError{http.StatusMethodNotAllowed, "Use GET."}
	}
	term := strings.TrimSpace(r.URL.Query().Get("term"))
	if utf8.RuneCountInString(term) > paletteMaxTerm {
		term = string([]rune(term)[:paletteMaxTerm])
	}
	ans := paletteAnswer{Models: []paletteModel{}, Recent: []paletteObject{}, Objects: []paletteObject{}}
	low := strings.ToLower(term)
	for _, app := range s.GetAppList(r, "") {
		for _, m := range app.Models {
			if low == "" || strings.Contains(strings.ToLower(m.Name), low) || strings.Contains(strings.ToLower(app.Name), low) {
				ans.Models = append(ans.Models, paletteModel{Name: m.Name, App: app.Name, URL: m.AdminURL, AddURL: m.AddURL})
			}
		}
	}
	if term == "" {
		recent, err := s.recentActions(r)
		if err != nil {
			return err
		}
		for _, ra := range recent {
			if ra.URL != "" {
				ans.Recent = append(ans.Recent, paletteObject{Text: ra.Repr, Type: ra.TypeName, URL: ra.URL})
			}
		}
	} else if utf8.RuneCountInString(term) >= paletteMinTerm {
		if err := s.paletteSearch(r, term, &ans); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(ans); err != nil {
		return fmt.Errorf("admin: palette: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "private, no-store")
	_, err := w.Write(buf.Bytes())
	return err
}

// paletteSearch adds to ans the objects each searchable admin the user
// may see finds for term, in the order of the index.
func (s *Site) paletteSearch(r *http.Request, term string, ans *paletteAnswer) error {
	searched := 0
	for _, e := range s.apps {
		for _, a := range e.admins {
			if !a.HasModulePermission(r) || !a.HasViewPermission(r, nil) || len(a.GetSearchFields(r)) == 0 {
				continue
			}
			if searched == paletteMaxAdmins {
				ans.More = true
				return nil
			}
			searched++
			more, err := s.paletteSearchAdmin(r, a, term, ans)
			if err != nil {
				return err
			}
			ans.More = ans.More || more
		}
	}
	return nil
}

// paletteSearchAdmin adds the first palettePerModel objects a's search
// finds, and reports whether there were more.
func (s *Site) paletteSearchAdmin(r *http.Request, a Admin, term string, ans *paletteAnswer) (bool, error) {
	m := a.base().model
	qs, dup, err := a.GetSearchResults(r, a.GetQueryset(r), term)
	if err != nil {
		return false, fmt.Errorf("admin: palette: %s: %w", m.Label(), err)
	}
	if dup {
		qs = qs.Distinct()
	}
	if len(qs.Ordering()) == 0 {
		qs = qs.OrderBy("-pk")
	}
	n := 0
	err = qs.Limit(palettePerModel+1).Each(r.Context(), func(obj any) error {
		n++
		if n > palettePerModel {
			return nil
		}
		ans.Objects = append(ans.Objects, paletteObject{Text: m.String(obj), Type: orm.Capfirst(m.VerboseName),
			URL: s.objectURL(m, s.objectID(m, obj), "change/")})
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("admin: palette: %s: %w", m.Label(), err)
	}
	return n > palettePerModel, nil
}
