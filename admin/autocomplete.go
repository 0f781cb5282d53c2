package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// autocompletePerPage is the size of an autocomplete page, Django's
// AutocompleteJsonView.paginate_by.
const autocompletePerPage = 20

// autocompleteQuery is the parsed query string of the autocomplete
// endpoint (contract §1.5).
type autocompleteQuery struct {
	term     string
	source   *orm.Model // the model holding the relation
	field    *orm.Field // the relation
	related  Admin      // the related model's admin, which searches
	toField  string     // the related field whose value the results carry
	pageText string
}

// parseAutocomplete turns the request into an autocompleteQuery, Django's
// process_request: a missing parameter, an unknown model or field, a field
// that is not a relation, a related model not registered here and a
// to_field that may not be referenced are forbidden; a related admin
// without search fields is not found.
func (s *Site) parseAutocomplete(r *http.Request) (autocompleteQuery, error) {
	q := r.URL.Query()
	aq := autocompleteQuery{term: q.Get("term"), pageText: q.Get("page")}
	for _, p := range []string{"app_label", "model_name", "field_name"} {
		if !q.Has(p) {
			return aq, errForbidden
		}
	}
	aq.source = s.modelByName(q.Get("app_label"), q.Get("model_name"))
	if aq.source == nil {
		return aq, errForbidden
	}
	aq.field = aq.source.Field(q.Get("field_name"))
	if aq.field == nil || !aq.field.IsRelation() || aq.field.Related == nil {
		return aq, errForbidden
	}
	if aq.related = s.registered(aq.field.Related); aq.related == nil {
		return aq, errForbidden
	}
	if len(aq.related.GetSearchFields(r)) == 0 {
		return aq, &httpError{http.StatusNotFound, fmt.Sprintf("%s must have SearchFields for the autocomplete view.", typeName(aq.related))}
	}
	aq.toField = aq.field.KeyField().Name
	if !s.toFieldAllowed(aq.field.Related, aq.toField) {
		return aq, errForbidden
	}
	return aq, nil
}

// modelByName finds a model of the project, registered here or not, by app
// label and model name.
func (s *Site) modelByName(app, name string) *orm.Model {
	for _, m := range s.db.Registry().Models() {
		if m.App.Label == app && m.ModelName == name {
			return m
		}
	}
	return nil
}

// autocompleteResult is one object of an autocomplete page.
type autocompleteResult struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// autocompletePage is the endpoint's answer, in Select2's shape.
type autocompletePage struct {
	Results    []autocompleteResult `json:"results"`
	Pagination struct {
		More bool `json:"more"`
	} `json:"pagination"`
}

// autocompleteView serves autocomplete/, Django's AutocompleteJsonView:
// a page of the related objects the term finds, through the related
// admin's queryset, search and paginator, narrowed by the field's
// limit_choices_to.
func (s *Site) autocompleteView(w http.ResponseWriter, r *http.Request) error {
	aq, err := s.parseAutocomplete(r)
	if err != nil {
		return err
	}
	if !aq.related.HasViewPermission(r, nil) {
		return errForbidden
	}
	qs, err := aq.queryset(r)
	if err != nil {
		return err
	}
	page, err := aq.results(r, qs)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(page); err != nil {
		return fmt.Errorf("admin: autocomplete: %w", err)
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(buf.Bytes())
	return err
}

// queryset is the related admin's queryset narrowed by limit_choices_to
// and the term, DISTINCT when the search may repeat rows, and ordered
// totally so that pages do not overlap.
func (aq autocompleteQuery) queryset(r *http.Request) (orm.QuerySet, error) {
	qs := aq.related.GetQueryset(r)
	if aq.field.LimitChoicesTo != nil {
		qs = qs.Filter(aq.field.LimitChoicesTo)
	}
	qs, dup, err := aq.related.GetSearchResults(r, qs, aq.term)
	if err != nil {
		return qs, err
	}
	if dup {
		qs = qs.Distinct()
	}
	order := qs.Ordering()
	if len(order) == 0 {
		order = aq.field.Related.Meta.Ordering
	}
	for _, o := range order {
		if name := strings.TrimPrefix(o, "-"); name == "pk" || name == aq.field.Related.PK.Name {
			return qs.OrderBy(order...), nil
		}
	}
	return qs.OrderBy(append(append([]string(nil), order...), "-pk")...), nil
}

// results is the requested page of qs through the related admin's
// paginator; a page that is not a number or out of range is not found,
// as with Django's ListView.
func (aq autocompleteQuery) results(r *http.Request, qs orm.QuerySet) (*autocompletePage, error) {
	number := 1
	if aq.pageText != "" {
		n, err := strconv.Atoi(aq.pageText)
		if err != nil {
			return nil, errNotFound
		}
		number = n
	}
	p := aq.related.GetPaginator(r, qs, autocompletePerPage)
	pageQS, err := p.Page(number)
	if err == errBadPage {
		return nil, errNotFound
	} else if err != nil {
		return nil, err
	}
	pages, err := p.NumPages()
	if err != nil {
		return nil, err
	}
	out := &autocompletePage{Results: []autocompleteResult{}}
	out.Pagination.More = number < pages
	to := aq.field.Related.Field(aq.toField)
	err = pageQS.Each(r.Context(), func(obj any) error {
		out.Results = append(out.Results, autocompleteResult{ID: to.Format(to.Get(obj)), Text: aq.field.Related.String(obj)})
		return nil
	})
	return out, err
}
