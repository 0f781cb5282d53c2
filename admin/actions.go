package admin

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// The action protocol's POST fields (contract §3).
const (
	fieldAction       = "action"
	fieldIndex        = "index"
	fieldSelected     = "_selected_action"
	fieldSelectAcross = "select_across"
	fieldPost         = "post"
	fieldSave         = "_save"
)

// Django's warnings when an action cannot run.
const (
	msgNoSelection = "Items must be selected in order to perform actions on them. No items have been changed."
	msgNoAction    = "No action selected."
)

// DeleteSelectedAction returns the site-wide "delete selected" action,
// Django's delete_selected, which every site offers until DisableAction
// removes it. It needs the delete permission.
func DeleteSelectedAction() Action {
	return Action{Name: "delete_selected", Description: "Delete selected %(verbose_name_plural)s",
		Permissions: []string{"delete"}, Func: DeleteSelected}
}

// AddAction adds an action to every admin of the site, before the admins'
// own, Django's AdminSite.add_action; an action of the same name is
// replaced. A name an admin's own action already uses is refused, as
// the checks refuse it the other way round.
func (s *Site) AddAction(act Action) error {
	if act.Name == "" || act.Func == nil {
		return fmt.Errorf("admin: add action %q: an action needs a Name and a Func", act.Name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handler != nil {
		return fmt.Errorf("admin: add action %q: the site %q is already serving", act.Name, s.cfg.Name)
	}
	for _, ma := range s.admins {
		for _, own := range ma.base().Actions {
			if own.Name == act.Name {
				return fmt.Errorf("admin: add action %q: %s has an action of that name", act.Name, adminName(ma))
			}
		}
	}
	s.actions = replaceAction(s.actions, act)
	s.global = replaceAction(s.global, act)
	return nil
}

// DisableAction removes a site-wide action from every admin, Django's
// AdminSite.disable_action: DisableAction("delete_selected") leaves only
// the admins' own actions. GetAction still finds it, for an admin that
// lists it in its Actions.
func (s *Site) DisableAction(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handler != nil {
		return fmt.Errorf("admin: disable action %q: the site %q is already serving", name, s.cfg.Name)
	}
	for i, act := range s.actions {
		if act.Name == name {
			s.actions = append(s.actions[:i:i], s.actions[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("admin: disable action: the site has no action %q", name)
}

// GetAction returns a site-wide action by name, even a disabled one,
// Django's AdminSite.get_action.
func (s *Site) GetAction(name string) (Action, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, act := range s.global {
		if act.Name == name {
			return act, true
		}
	}
	return Action{}, false
}

// Actions returns the site-wide actions every admin offers.
func (s *Site) Actions() []Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Action(nil), s.actions...)
}

// replaceAction replaces the action of act's name in list, or appends it.
func replaceAction(list []Action, act Action) []Action {
	out := append([]Action(nil), list...)
	for i, a := range out {
		if a.Name == act.Name {
			out[i] = act
			return out
		}
	}
	return append(out, act)
}

// isPopup reports whether the request is a related-object popup's
// (contract §2.1 _popup), in its query or its posted form: no actions,
// no list_editable there.
func isPopup(r *http.Request) bool {
	return r.URL.Query().Has(paramPopup) || (r.PostForm != nil && r.PostForm.Has(paramPopup))
}

// GetActions implements Admin: the site's actions, then Actions, those
// whose permissions the user holds; none in a popup or with
// DisableActions.
func (a *ModelAdmin) GetActions(r *http.Request) []Action {
	if a.DisableActions || isPopup(r) {
		return nil
	}
	var out []Action
	for _, act := range append(a.site.Actions(), a.Actions...) {
		if a.allowedAction(r, act) {
			out = replaceAction(out, act)
		}
	}
	return out
}

// actionDescription labels an action in the menu: its Description with
// the model's names put in, else its name made readable.
func actionDescription(act Action, m *orm.Model) string {
	d := act.Description
	if d == "" {
		return orm.Capfirst(strings.ReplaceAll(act.Name, "_", " "))
	}
	return strings.NewReplacer("%(verbose_name_plural)s", m.VerboseNamePlural, "%(verbose_name)s", m.VerboseName).Replace(d)
}

// actionBar is the data of one action bar (Django's actions.html).
type actionBar struct {
	Index   int
	Choices []actionChoice
	// Counter shows the selection counter; Rows counts the page's rows
	// and Total the change list's, which the select-across links offer
	// when they differ.
	Counter          bool
	Rows             int
	Total            int64
	SelectionNote    string
	SelectionNoteAll string
	// SelectAllText is the select-across link's text, which says when
	// Total is an estimate or a lower bound rather than a count.
	SelectAllText string
	SelectAcross  bool
	ModuleName    string
}

type actionChoice struct{ Value, Label string }

// actionBars lays out the action bars the admin places, Django's
// admin_actions: index 0 for the first shown, 1 for the second. None
// without actions or objects.
func (v *modelView) actionBars(cl *ChangeList) (top, bottom *actionBar) {
	a, m := v.base, v.model
	if len(cl.Actions) == 0 || cl.FullResultCount == 0 {
		return nil, nil
	}
	bar := actionBar{Choices: []actionChoice{{"", "---------"}}, Counter: a.ActionsSelectionCounter == nil || *a.ActionsSelectionCounter,
		Rows: len(cl.Results), Total: cl.ResultCount, ModuleName: m.VerboseNamePlural}
	for _, act := range cl.Actions {
		bar.Choices = append(bar.Choices, actionChoice{act.Name, actionDescription(act, m)})
	}
	bar.SelectionNote = fmt.Sprintf("0 of %d selected", bar.Rows)
	bar.SelectionNoteAll = fmt.Sprintf("All %d selected", bar.Total)
	bar.SelectAllText = fmt.Sprintf("Select all %d %s", bar.Total, m.VerboseNamePlural)
	if bar.Total == 1 {
		bar.SelectionNoteAll = "1 selected"
	}
	if cl.CountKind != CountExact {
		// "More than 100000", "About 1250000": the count was not made.
		approx := strings.ToLower(countText(cl.ResultCount, cl.CountKind))
		bar.SelectionNoteAll = "All selected (" + approx + ")"
		bar.SelectAllText = "Select all " + m.VerboseNamePlural + " (" + approx + ")"
	}
	bar.SelectAcross = bar.Total != int64(bar.Rows)
	if a.ActionsOnTop == nil || *a.ActionsOnTop {
		t := bar
		top = &t
		bar.Index++
	}
	if a.ActionsOnBottom {
		bottom = &bar
	}
	return top, bottom
}

// postActions answers a change list POST that runs an action, Django's
// changelist_view and response_action; done is false when the POST is
// not an action's (a list_editable save, or no actions to run).
func (v *modelView) postActions(w http.ResponseWriter, r *http.Request, cl *ChangeList) (done bool, err error) {
	post := r.PostForm
	if len(cl.Actions) == 0 || post.Has(fieldSave) {
		return false, nil
	}
	selected := post[fieldSelected]
	switch {
	case post.Has(fieldIndex) && len(selected) == 0:
		v.admin.MessageUser(r, flash.Warning, msgNoSelection)
	case post.Has(fieldIndex) || len(selected) > 0:
		if handled, err := v.runAction(w, r, cl); handled || err != nil {
			return true, err
		}
	default:
		return false, nil
	}
	http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	return true, nil
}

// chosenAction returns the name of the action of the select whose "Go"
// was pressed: index 0 is the top bar's, 1 the bottom's. An index that
// is not a number means 0; one out of range leaves the last value, as
// Django's QueryDict does.
func chosenAction(names []string, index string) string {
	if len(names) == 0 {
		return ""
	}
	i, err := strconv.Atoi(index)
	if err != nil {
		i = 0
	}
	if i < 0 {
		i += len(names) // Python's negative indexes
	}
	if i < 0 || i >= len(names) {
		return names[len(names)-1]
	}
	return names[i]
}

// runAction runs the chosen action on the selected objects, or on the
// whole filtered change list with select_across, in one transaction. A
// response the action writes is sent once the transaction commits;
// handled is false when nothing ran (a warning is then waiting).
func (v *modelView) runAction(w http.ResponseWriter, r *http.Request, cl *ChangeList) (handled bool, err error) {
	post := r.PostForm
	name := chosenAction(post[fieldAction], post.Get(fieldIndex))
	var act *Action
	for i := range cl.Actions {
		if name != "" && cl.Actions[i].Name == name {
			act = &cl.Actions[i]
		}
	}
	if act == nil {
		v.admin.MessageUser(r, flash.Warning, msgNoAction)
		return false, nil
	}
	across := !isFalse(post.Get(fieldSelectAcross))
	selected := v.selectedKeys(post[fieldSelected])
	if len(post[fieldSelected]) == 0 && !across {
		v.admin.MessageUser(r, flash.Warning, msgNoSelection)
		return false, nil
	}
	qs := cl.Queryset
	if !across {
		qs = qs.Filter(orm.Q{"pk__in": selected})
	}
	rec := &actionResponse{header: http.Header{}}
	if err := v.site.atomically(r, func(r *http.Request) error { return act.Func(rec, r, v.admin, qs) }); err != nil {
		return true, err
	}
	if !rec.written {
		http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
		return true, nil
	}
	rec.send(w)
	return true, nil
}

// selectedKeys parses the posted identifiers into primary keys (see
// ObjectIDer), dropping those that name nothing.
func (v *modelView) selectedKeys(raw []string) []any {
	out := make([]any, 0, len(raw))
	for _, id := range raw {
		s, ok := v.site.objectKey(v.model, id)
		if !ok {
			continue
		}
		if pk, err := v.model.PK.Parse(s); err == nil {
			out = append(out, pk)
		}
	}
	return out
}

// isFalse is Django's BooleanField reading of a POST value: "", "0" and
// "false" (any case) are false.
func isFalse(s string) bool {
	switch strings.ToLower(s) {
	case "", "0", "false":
		return true
	}
	return false
}

// actionResponse keeps what an action writes until its transaction has
// committed, so that a failed action never sends half a response and a
// download never carries data that was rolled back.
type actionResponse struct {
	header  http.Header
	status  int
	body    bytes.Buffer
	written bool
}

func (a *actionResponse) Header() http.Header { return a.header }

func (a *actionResponse) WriteHeader(status int) {
	if !a.written {
		a.status, a.written = status, true
	}
}

func (a *actionResponse) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(b)
}

// send writes the kept response.
func (a *actionResponse) send(w http.ResponseWriter) {
	for k, vs := range a.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(a.status)
	_, _ = a.body.WriteTo(w)
}

// LogDeletions implements Admin: one DELETION log entry per object, all
// in one INSERT.
func (a *ModelAdmin) LogDeletions(r *http.Request, objs []any) error {
	ctx := r.Context()
	user := auth.UserFrom(ctx)
	if user == nil || len(objs) == 0 {
		return nil
	}
	ct, err := a.site.types.ForModel(ctx, a.model)
	if err != nil {
		return err
	}
	rows := make([]any, len(objs))
	for i, obj := range objs {
		e := a.site.newLogEntry(user, a.model, obj, Deletion, "", "")
		e.ContentType = orm.FK[contenttype.ContentType](ct.ID)
		rows[i] = e
	}
	return a.site.db.BulkCreate(ctx, rows, 0)
}
