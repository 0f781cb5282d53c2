package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// editablePrefix is the prefix of the change list's formset (contract §5).
const editablePrefix = "form"

// versionField is the hidden field of each list_editable row holding the
// fingerprint of the row's editable values as the page showed them; a
// save refuses a row whose values changed since (someone else's edit),
// rather than overwriting them — beyond Django, which overwrites.
const versionField = "_version"

// errFormsetInvalid rolls back a list_editable save whose formset does
// not validate; the page is shown again with its errors.
var errFormsetInvalid = errors.New("admin: the list_editable formset is not valid")

// editable returns the fields the change list edits: ListEditable for a
// user who may change objects, outside popups.
func (v *modelView) editable(r *http.Request) []string {
	if len(v.base.ListEditable) == 0 || isPopup(r) || !v.admin.HasChangePermission(r, nil) {
		return nil
	}
	return v.base.ListEditable
}

// editableFormset makes the change list's formset over the objects of qs,
// Django's get_changelist_formset: no extra forms, prefix "form".
func (v *modelView) editableFormset(r *http.Request, fields []string, qs orm.QuerySet) (*form.ModelFormSet, error) {
	var degradeErr error
	opts := form.ModelFormSetOptions{Form: v.base.fieldOptions(r, fields, &degradeErr)}
	opts.Prefix, opts.MaxNum, opts.Renderer = editablePrefix, form.MaxNone, v.site.forms
	opts.Setup = func(i int, mf *form.ModelForm) { mf.Renderer = v.site.forms }
	fs, err := form.NewModelFormSet(r.Context(), v.site.db, qs, opts)
	if err == nil {
		err = degradeErr
	}
	if err != nil {
		return nil, fmt.Errorf("admin: %s change list formset: %w", v.model.Label(), err)
	}
	return fs, nil
}

// pageFormset is the formset of the page's rows, for a GET.
func (v *modelView) pageFormset(r *http.Request, cl *ChangeList, fields []string) (*form.ModelFormSet, error) {
	pks := make([]any, len(cl.Results))
	for i, obj := range cl.Results {
		pks[i] = v.model.PKValue(obj)
	}
	return v.editableFormset(r, fields, v.admin.GetQueryset(r).Filter(orm.Q{"pk__in": pks}).OrderBy(cl.Ordering...))
}

// rowVersion fingerprints the editable values of obj.
func (v *modelView) rowVersion(fields []string, obj any) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%v\x00", v.model.Label(), v.model.PKValue(obj))
	for _, name := range fields {
		f := v.model.Field(name)
		fmt.Fprintf(h, "%s=%s\x00", name, f.Format(f.Get(obj)))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// editedKeys returns the primary keys a list_editable POST names, one per
// form (contract §5): rows are identified by key, whatever page, order or
// filter the POST came from. A form without a key, or more forms than
// keys, would add an object: 400, as in Django 5.2.
func (v *modelView) editedKeys(post url.Values) ([]any, error) {
	total, err := strconv.Atoi(post.Get(editablePrefix + "-" + form.TotalFormsField))
	if err != nil || total < 0 || total > form.DefaultMaxNum {
		return nil, badRequest("ManagementForm data is missing or has been tampered with.")
	}
	prefix, suffix := editablePrefix+"-", "-"+v.model.PK.Name
	byIndex := map[int]string{}
	for k, vs := range post {
		mid, ok := strings.CutPrefix(k, prefix)
		num, ok2 := strings.CutSuffix(mid, suffix)
		if i, err := strconv.Atoi(num); ok && ok2 && err == nil && i >= 0 && i < total && strconv.Itoa(i) == num {
			byIndex[i] = vs[len(vs)-1]
		}
	}
	pks := make([]any, 0, total)
	for i := range total {
		raw, ok := byIndex[i]
		if !ok || raw == "" {
			return nil, badRequest("list_editable does not allow adding.")
		}
		pk, err := v.model.PK.Parse(raw)
		if err != nil {
			return nil, badRequest("list_editable: not a key: " + raw)
		}
		if !slices.Contains(pks, pk) {
			pks = append(pks, pk)
		}
	}
	return pks, nil
}

// saveEditable saves a list_editable POST (contract §5): in one
// transaction every changed row through SaveForm, SaveModel and
// SaveRelated, each with its LogEntry; then "N books were changed
// successfully." and back to the same list. A key outside GetQueryset is
// 400; a row changed by someone else since the page was loaded is a form
// error. When the formset is invalid it is left on cl for the page and
// done is false.
func (v *modelView) saveEditable(w http.ResponseWriter, r *http.Request, cl *ChangeList, fields []string) (done bool, err error) {
	pks, err := v.editedKeys(r.PostForm)
	if err != nil {
		return true, err
	}
	var fs *form.ModelFormSet
	changed := 0
	err = v.site.atomically(r, func(r *http.Request) error {
		var err error
		if fs, err = v.editableFormset(r, fields, v.admin.GetQueryset(r).Filter(orm.Q{"pk__in": pks})); err != nil {
			return err
		}
		if len(fs.Objects()) != len(pks) {
			return badRequest("list_editable: the data names objects that do not exist or may not be changed; reload the page.")
		}
		fs.Bind(r.PostForm)
		v.checkVersions(r, fs, fields)
		if !fs.IsValid() {
			if err := fs.Err(); err != nil {
				return err
			}
			return errFormsetInvalid
		}
		changed, err = v.saveRows(r, fs)
		return err
	})
	if errors.Is(err, errFormsetInvalid) {
		cl.Formset = fs
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if changed > 0 {
		verb := "was"
		if changed != 1 {
			verb = "were"
		}
		v.admin.MessageUser(r, flash.Success, fmt.Sprintf("%d %s %s changed successfully.", changed, countedName(v.model, changed), verb))
	}
	http.Redirect(w, r, r.URL.RequestURI(), http.StatusFound)
	return true, nil
}

// checkVersions refuses, with a form error, each row whose editable
// values in the database are no longer those the page showed.
func (v *modelView) checkVersions(r *http.Request, fs *form.ModelFormSet, fields []string) {
	for i, mf := range fs.Forms() {
		obj := mf.Instance()
		if obj == nil {
			continue
		}
		posted := r.PostForm.Get(fmt.Sprintf("%s-%d-%s", editablePrefix, i, versionField))
		if posted != v.rowVersion(fields, obj) {
			mf.AddError("", "This "+v.model.VerboseName+" was changed by someone else since the page was loaded; reload to see the changes.")
		}
	}
}

// saveRows saves the changed forms of a valid formset, as Django's
// changelist_view does, and logs each change.
func (v *modelView) saveRows(r *http.Request, fs *form.ModelFormSet) (int, error) {
	ma, n := v.admin, 0
	for _, mf := range fs.Forms() {
		if !mf.HasChanged() {
			continue
		}
		mf.SetContext(r.Context())
		obj := mf.Instance()
		if err := ma.SaveForm(r, mf, obj, true); err != nil {
			return n, err
		}
		if err := ma.SaveModel(r, obj, mf, true); err != nil {
			return n, err
		}
		if err := ma.SaveRelated(r, mf, nil, true); err != nil {
			return n, err
		}
		if err := ma.LogChange(r, obj, ma.ConstructChangeMessage(r, mf, nil, false)); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// formsetRows reloads, for the page, the objects of a formset that failed
// to validate, in its order: the rows shown are the rows posted.
func (v *modelView) formsetRows(r *http.Request, cl *ChangeList) ([]any, error) {
	var pks []any
	for _, mf := range cl.Formset.Forms() {
		if obj := mf.Instance(); obj != nil {
			pks = append(pks, v.model.PKValue(obj))
		}
	}
	objs, err := v.admin.GetQueryset(r).Filter(orm.Q{"pk__in": pks}).SelectRelated(cl.selectRelated()...).All(r.Context())
	if err != nil {
		return nil, err
	}
	byPK := map[string]any{}
	for _, obj := range objs {
		byPK[fmt.Sprint(v.model.PKValue(obj))] = obj
	}
	out := make([]any, 0, len(objs))
	for _, pk := range pks {
		if obj, ok := byPK[fmt.Sprint(pk)]; ok {
			out = append(out, obj)
		}
	}
	return out, nil
}
