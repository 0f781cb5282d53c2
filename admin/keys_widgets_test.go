package admin_test

import (
	"context"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// The relation widgets, popups, filters, actions and list_editable over
// the keyed app of keys_test.go.

// TestKeysSelectWidgets: the selects of relations to text and UUID keys
// offer the keys as text, keep the choices made, and refuse keys of no
// object.
func TestKeysSelectWidgets(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(nil))
		c := f.root
		fid, hid := forneyID.String(), havelID.String()
		add := c.Get("/admin/keyed/member/add/")
		expectStatus(t, add, 200)
		for sel, want := range map[string]string{
			"#id_country":            "* BE CZ FR",
			"#id_home_branch":        "* " + fid + " " + hid,
			"#id_preferred_branches": fid + " " + hid,
			"#id_pickup":             "* forney havel",
			"#id_topics":             oddKey + " plain x?y#z",
		} {
			if got := strings.Join(optionValues(add, sel), " "); got != want {
				t.Errorf("%s offers %q, want %q", sel, got, want)
			}
		}
		r := c.Submit(add, "#member_form", url.Values{
			"name": {"Ann"}, "country": {"FR"}, "home_branch": {hid}, "preferred_branches": {fid, hid},
			"pickup": {"forney"}, "topics": {oddKey, "plain"},
		}, "_save")
		expectStatus(t, r, 302)
		ann := get[Member](f, orm.Q{"name": "Ann"})
		if ann.Country.ID != "FR" || ann.HomeBranch.ID != havelID || !ann.HomeBranch.Valid || ann.Pickup.ID != "forney" {
			t.Errorf("saved member %+v", ann)
		}
		if got := m2mKeys(f, ann, "preferred_branches"); got != hid+" "+fid {
			t.Errorf("preferred branches %q", got)
		}
		if got := m2mKeys(f, ann, "topics"); got != oddKey+" plain" {
			t.Errorf("topics %q", got)
		}

		// The change form shows the choices made, and the related links
		// carry the keys quoted.
		page := c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		expectStatus(t, page, 200)
		for sel, want := range map[string]string{
			"#id_country":            " BE CZ *FR",
			"#id_home_branch":        " " + fid + " *" + hid,
			"#id_preferred_branches": "*" + fid + " *" + hid,
			"#id_pickup":             " *forney havel",
			"#id_topics":             "*" + oddKey + " *plain x?y#z",
		} {
			if got := strings.Join(optionValues(page, sel), " "); got != want {
				t.Errorf("%s: %q, want %q", sel, got, want)
			}
		}
		for field, want := range map[string]string{
			"country":     "/admin/keyed/nation/FR/change/?_to_field=code&_popup=1",
			"home_branch": "/admin/keyed/branch/" + hid + "/change/?_to_field=id&_popup=1",
			"pickup":      "/admin/keyed/branch/forney/change/?_to_field=slug&_popup=1",
		} {
			if got := relatedLinks(page, field)["change"]; got != want {
				t.Errorf("%s change link %q, want %q", field, got, want)
			}
		}
		// The to_field link finds its branch by slug.
		expectStatus(t, c.Get("/admin/keyed/branch/forney/change/?_to_field=slug&_popup=1"), 200)

		// Change: a NULL key, other choices.
		r = c.Submit(page, "#member_form", url.Values{
			"country": {"CZ"}, "home_branch": {""}, "preferred_branches": {fid}, "pickup": {"havel"}, "topics": {"x?y#z"},
		}, "_save")
		expectStatus(t, r, 302)
		ann = get[Member](f, orm.Q{"pk": ann.ID})
		if ann.Country.ID != "CZ" || ann.HomeBranch.Valid || ann.Pickup.ID != "havel" {
			t.Errorf("changed member %+v", ann)
		}
		if got := m2mKeys(f, ann, "preferred_branches") + "|" + m2mKeys(f, ann, "topics"); got != fid+"|x?y#z" {
			t.Errorf("many-to-many keys after the change %q", got)
		}
		es := f.logEntries()
		if msg := es[len(es)-1].ChangeMessage; !strings.Contains(msg, "Home branch") || !strings.Contains(msg, "Topics") {
			t.Errorf("change message %s", msg)
		}

		// Keys that are no choices, or no keys at all.
		page = c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		stranger := uuid.New().String()
		r = c.Submit(page, "#member_form", url.Values{
			"country": {"DE"}, "home_branch": {"not-a-uuid"}, "preferred_branches": {fid, stranger}, "pickup": {hid}, "topics": {"nope"},
		}, "_save")
		expectStatus(t, r, 200)
		for field, want := range map[string]string{
			"country":            "Select a valid choice. That choice is not one of the available choices.",
			"home_branch":        "Select a valid choice. That choice is not one of the available choices.",
			"pickup":             "Select a valid choice. That choice is not one of the available choices.",
			"preferred_branches": "Select a valid choice. " + stranger + " is not one of the available choices.",
			"topics":             "Select a valid choice. nope is not one of the available choices.",
		} {
			if got := r.Text(".field-" + field + " .errorlist"); got != want {
				t.Errorf("%s error %q, want %q", field, got, want)
			}
		}
		if got := get[Member](f, orm.Q{"pk": ann.ID}); got.Country.ID != "CZ" {
			t.Errorf("an invalid form changed the member: %+v", got)
		}
		// A UUID spelt without hyphens is the same key, shown hyphenated.
		r = c.Submit(page, "#member_form", url.Values{"home_branch": {strings.ReplaceAll(fid, "-", "")}}, "_continue")
		expectStatus(t, r, 302)
		if got := strings.Join(optionValues(c.Follow(r), "#id_home_branch"), " "); got != " *"+fid+" "+hid {
			t.Errorf("home branch choices after a hex key: %q", got)
		}
	})
}

// TestKeysRawAutocompleteHorizontal: the relation widgets that do not
// list every choice hold and send the related keys as text.
func TestKeysRawAutocompleteHorizontal(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"member": {RawIDFields: []string{"home_branch", "topics"}, AutocompleteFields: []string{"country", "pickup"},
				FilterHorizontal: []string{"preferred_branches"}},
			"nation": {SearchFields: []string{"name"}},
			"branch": {SearchFields: []string{"name"}},
		}))
		c := f.root
		fid, hid := forneyID.String(), havelID.String()
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](havelID), Pickup: orm.FKTo[Branch]("forney")}
		f.insert(ann)
		if err := f.app.DB.SetM2MKeys(context.Background(), ann, "topics", []any{oddKey, "plain"}); err != nil {
			t.Fatal(err)
		}
		page := c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		expectStatus(t, page, 200)
		// Raw id inputs: the key, the keys joined by commas, the chosen
		// object's name, a lookup link to the change list.
		if got := page.Find("input#id_home_branch.vForeignKeyRawIdAdminField").AttrOr("value", ""); got != hid {
			t.Errorf("raw id input %q", got)
		}
		if got := page.Text(".field-home_branch strong.related-label"); got != "Havel" {
			t.Errorf("raw id label %q", got)
		}
		if got := page.Find("#lookup_id_home_branch").AttrOr("href", ""); got != "/admin/keyed/branch/?_popup=1&_to_field=id" {
			t.Errorf("lookup link %q", got)
		}
		if got := page.Find("input#id_topics.vManyToManyRawIdAdminField").AttrOr("value", ""); got != oddKey+",plain" {
			t.Errorf("raw id many-to-many input %q", got)
		}
		// Autocomplete selects: the chosen object as the only option, its
		// key (the to_field's value for pickup) as the value.
		if got := strings.Join(optionValues(page, "select#id_country.admin-autocomplete"), " "); got != "*FR" { // required: no empty option
			t.Errorf("autocomplete country options %q", got)
		}
		if got := strings.Join(optionValues(page, "select#id_pickup.admin-autocomplete"), " "); got != " *forney" {
			t.Errorf("autocomplete pickup options %q", got)
		}
		// filter_horizontal: every branch, the chosen ones selected.
		if got := page.Find("select#id_preferred_branches.selectfilter").Length(); got != 1 {
			t.Error("no selectfilter select")
		}
		if got := strings.Join(optionValues(page, "#id_preferred_branches"), " "); got != fid+" "+hid {
			t.Errorf("filter_horizontal options %q", got)
		}

		// The lookup popup hands back each branch's key.
		popup := c.Get("/admin/keyed/branch/?_to_field=id&_popup=1")
		expectStatus(t, popup, 200)
		var openers []string
		popup.Find("#result_list a[data-popup-opener]").Each(func(_ int, a *goquery.Selection) {
			openers = append(openers, a.AttrOr("data-popup-opener", ""))
		})
		if strings.Join(openers, " ") != fid+" "+hid {
			t.Errorf("popup openers %q", openers)
		}
		topics := c.Get("/admin/keyed/topic/?_to_field=key&_popup=1")
		if got := topics.Find("#result_list a[data-popup-opener]").First().AttrOr("data-popup-opener", ""); got != oddKey {
			t.Errorf("topic popup opener %q", got)
		}
		bySlug := c.Get("/admin/keyed/branch/?_to_field=slug&_popup=1")
		if got := bySlug.Find("#result_list a[data-popup-opener]").First().AttrOr("data-popup-opener", ""); got != "forney" {
			t.Errorf("slug popup opener %q", got)
		}

		// The autocomplete endpoint answers ids as strings: the key, or
		// the to_field's value.
		for q, want := range map[string]string{
			"field_name=home_branch&term=hav": `{"results":[{"id":"` + hid + `","text":"Havel"}],"pagination":{"more":false}}`,
			"field_name=pickup&term=for":      `{"results":[{"id":"forney","text":"Forney"}],"pagination":{"more":false}}`,
			"field_name=country&term=ch":      `{"results":[{"id":"CZ","text":"Czechia"}],"pagination":{"more":false}}`,
		} {
			r := c.Get("/admin/autocomplete/?app_label=keyed&model_name=member&" + q)
			expectStatus(t, r, 200)
			if got := strings.TrimSpace(r.Body); got != want {
				t.Errorf("%s: %s, want %s", q, got, want)
			}
		}

		// Submitting the widgets' values.
		r := c.Submit(page, "#member_form", url.Values{
			"home_branch": {strings.ToUpper(fid)}, "topics": {"x?y#z, " + oddKey}, "country": {"BE"}, "pickup": {"havel"},
			"preferred_branches": {hid},
		}, "_save")
		expectStatus(t, r, 302)
		ann = get[Member](f, orm.Q{"pk": ann.ID})
		if ann.HomeBranch.ID != forneyID || ann.Country.ID != "BE" || ann.Pickup.ID != "havel" {
			t.Errorf("member after the change %+v", ann)
		}
		if got := m2mKeys(f, ann, "topics") + "|" + m2mKeys(f, ann, "preferred_branches"); got != oddKey+" x?y#z|"+hid {
			t.Errorf("many-to-many keys %q", got)
		}
		page = c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		r = c.Submit(page, "#member_form", url.Values{"home_branch": {"nope"}, "topics": {"plain,missing"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text(".field-home_branch .errorlist"); got != "Select a valid choice. That choice is not one of the available choices." {
			t.Errorf("raw id error %q", got)
		}
		if got := r.Text(".field-topics .errorlist"); got != "Select a valid choice. missing is not one of the available choices." {
			t.Errorf("raw id many-to-many error %q", got)
		}
	})
}

// TestKeysPopupResponses: the "+" and change popups answer the new or
// changed object's key: a UUID hyphenated, a text key as it is, a
// to_field's value.
func TestKeysPopupResponses(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(nil))
		c := f.root

		page := c.Get("/admin/keyed/branch/add/?_to_field=id&_popup=1")
		expectStatus(t, page, 200)
		got := popupAnswer(t, c.Submit(page, "#branch_form", url.Values{"name": {"Sagan"}, "slug": {"sagan"}, "country": {"CZ"}}, "_save"))
		sagan := get[Branch](f, orm.Q{"slug": "sagan"})
		if got["value"] != sagan.ID.String() || got["obj"] != "Sagan" {
			t.Errorf("add answer %q, new branch %s", got, sagan.ID)
		}
		page = c.Get("/admin/keyed/branch/add/?_to_field=slug&_popup=1")
		got = popupAnswer(t, c.Submit(page, "#branch_form", url.Values{"name": {"Duras"}, "slug": {"duras"}, "country": {"FR"}}, "_save"))
		if got["value"] != "duras" {
			t.Errorf("add answer by slug %q", got)
		}
		page = c.Get("/admin/keyed/topic/add/?_to_field=key&_popup=1")
		got = popupAnswer(t, c.Submit(page, "#topic_form", url.Values{"key": {"p/q_r"}, "title": {"PQR"}}, "_save"))
		if got["value"] != "p/q_r" || got["obj"] != "PQR" {
			t.Errorf("add answer of a text key %q", got)
		}

		// Change a text key in a popup: the old key as the URL had it, the
		// new one.
		page = c.Get("/admin/keyed/topic/p_2Fq_5Fr/change/?_to_field=key&_popup=1")
		expectStatus(t, page, 200)
		got = popupAnswer(t, c.Submit(page, "#topic_form", url.Values{"key": {"p/q_s"}}, "_save"))
		if got["action"] != "change" || got["value"] != "p/q_r" || got["new_value"] != "p/q_s" {
			t.Errorf("change answer %q", got)
		}
		// As with Django's save, a changed key saves a new row: the old
		// one stays.
		if n := count[Topic](f, orm.Q{"pk__in": []string{"p/q_r", "p/q_s"}, "title": "PQR"}); n != 2 {
			t.Errorf("%d topics of the old and new keys", n)
		}
		page = c.Get("/admin/keyed/branch/" + havelID.String() + "/change/?_to_field=id&_popup=1")
		got = popupAnswer(t, c.Submit(page, "#branch_form", url.Values{"name": {"Havel II"}}, "_save"))
		if got["value"] != havelID.String() || got["new_value"] != havelID.String() || got["obj"] != "Havel II" {
			t.Errorf("change answer of a UUID key %q", got)
		}

		// Delete in a popup.
		page = c.Get("/admin/keyed/branch/" + sagan.ID.String() + "/delete/?_to_field=id&_popup=1")
		expectStatus(t, page, 200)
		_, values := page.FormValues("#content form")
		got = popupAnswer(t, c.Post("/admin/keyed/branch/"+sagan.ID.String()+"/delete/", values))
		if got["action"] != "delete" || got["value"] != sagan.ID.String() {
			t.Errorf("delete answer %q", got)
		}
		if n := count[Branch](f, orm.Q{"pk": sagan.ID}); n != 0 {
			t.Error("the branch was not deleted")
		}
	})
}

// TestKeysFiltersSearchActions: list filters and search across foreign
// keys to text and UUID keys, the bulk delete action and list_editable
// over keys that are not numbers.
func TestKeysFiltersSearchActions(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"member": {ListFilter: []any{"country", "home_branch", "pickup", "topics"}, SearchFields: []string{"name", "home_branch__name", "country__name"}},
			"topic":  {ListDisplay: []any{"key", "title"}, ListEditable: []string{"title"}, ListDisplayLinks: []string{"key"}},
		}))
		c := f.root
		fid, hid := forneyID.String(), havelID.String()
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](havelID), Pickup: orm.FKTo[Branch]("forney")}
		bob := &Member{Name: "Bob", Country: orm.FKTo[Nation]("CZ"), HomeBranch: orm.FKTo[Branch](forneyID)}
		cid := &Member{Name: "Cid", Country: orm.FKTo[Nation]("CZ")}
		f.insert(ann, bob, cid)
		if err := f.app.DB.SetM2MKeys(context.Background(), bob, "topics", []any{oddKey}); err != nil {
			t.Fatal(err)
		}

		list := c.Get("/admin/keyed/member/")
		expectStatus(t, list, 200)
		for title, want := range map[string][]string{
			"country":     {"*All|?", "Belgium|?country__code__exact=BE", "Czechia|?country__code__exact=CZ", "France|?country__code__exact=FR"},
			"home branch": {"*All|?", "Forney|?home_branch__id__exact=" + fid, "Havel|?home_branch__id__exact=" + hid, "-|?home_branch__isnull=True"},
			"pickup":      {"*All|?", "Forney|?pickup__slug__exact=forney", "Havel|?pickup__slug__exact=havel", "-|?pickup__isnull=True"},
			"topics":      {"*All|?", "Odd|?topics__key__exact=" + url.QueryEscape(oddKey), "Plain|?topics__key__exact=plain", "Query|?topics__key__exact=x%3Fy%23z", "-|?topics__isnull=True"},
		} {
			if got := filterChoices(list, title); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s filter %q, want %q", title, got, want)
			}
		}
		for q, want := range map[string]string{
			"country__code__exact=CZ":                                    "Cid Bob",
			"home_branch__id__exact=" + hid:                              "Ann",
			"home_branch__id__exact=" + strings.ReplaceAll(fid, "-", ""): "Bob",
			"pickup__slug__exact=forney":                                 "Ann",
			"topics__key__exact=" + url.QueryEscape(oddKey):              "Bob",
			"home_branch__isnull=True":                                   "Cid",
			"q=havel":                                                    "Ann",
			"q=czech":                                                    "Cid Bob",
		} {
			r := c.Get("/admin/keyed/member/?" + q)
			expectStatus(t, r, 200)
			if got := words(r.Text("#result_list tbody th")); got != want {
				t.Errorf("%s: %q, want %q", q, got, want)
			}
		}
		sel := c.Get("/admin/keyed/member/?home_branch__id__exact=" + hid)
		if got := filterChoices(sel, "home branch"); len(got) < 3 || got[2] != "*Havel|?home_branch__id__exact="+hid {
			t.Errorf("the chosen branch is not selected: %q", got)
		}
		if r := c.Get("/admin/keyed/member/?home_branch__id__exact=nope"); r.StatusCode != 302 || !strings.Contains(r.Location(), "e=1") {
			t.Errorf("a filter value that is no UUID: %d %s", r.StatusCode, r.Location())
		}

		// The delete action over UUID keys: the confirmation lists them,
		// the confirmed POST deletes them.
		blist := c.Get("/admin/keyed/branch/")
		f.insert(&Branch{Name: "Spare", Slug: "spare", Country: orm.FKTo[Nation]("BE")})
		spare := get[Branch](f, orm.Q{"slug": "spare"})
		confirm := c.Submit(blist, "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": {spare.ID.String()}}, "index")
		expectStatus(t, confirm, 200)
		if got := confirm.Find(`input[name=_selected_action]`).AttrOr("value", ""); got != spare.ID.String() {
			t.Errorf("the confirmation carries %q", got)
		}
		r := c.Submit(confirm, "#content form", url.Values{}, "")
		expectStatus(t, r, 302)
		if n := count[Branch](f, orm.Q{"slug": "spare"}); n != 0 {
			t.Error("the action did not delete the branch")
		}

		// list_editable over text keys.
		tl := c.Get("/admin/keyed/topic/")
		expectStatus(t, tl, 200)
		var keys []string
		tl.Find(`#changelist-form .hiddenfields input[name$="-key"]`).Each(func(_ int, in *goquery.Selection) {
			keys = append(keys, in.AttrOr("name", "")+"="+in.AttrOr("value", ""))
		})
		if strings.Join(keys, " ") != "form-0-key="+oddKey+" form-1-key=plain form-2-key=x?y#z" {
			t.Errorf("hidden keys %q", keys)
		}
		r = c.Submit(tl, "#changelist-form", url.Values{"form-0-title": {"Odd edited"}, "form-2-title": {"Query edited"}}, "_save")
		expectStatus(t, r, 302)
		if got := messages(c, r); got != "2 topics were changed successfully." {
			t.Errorf("message %q", got)
		}
		if a, b := get[Topic](f, orm.Q{"pk": oddKey}), get[Topic](f, orm.Q{"pk": "x?y#z"}); a.Title != "Odd edited" || b.Title != "Query edited" {
			t.Errorf("titles %q %q", a.Title, b.Title)
		}
		es := f.logEntries()
		logged := []string{*es[len(es)-2].ObjectID, *es[len(es)-1].ObjectID}
		sort.Strings(logged)
		if logged[0] != oddKey || logged[1] != "x?y#z" {
			t.Errorf("list_editable log entries name %q", logged)
		}

		// The delete action over text keys, sent as they are.
		tl = c.Get("/admin/keyed/topic/")
		var boxes []string
		tl.Find("#result_list input.action-select").Each(func(_ int, in *goquery.Selection) { boxes = append(boxes, in.AttrOr("value", "")) })
		if strings.Join(boxes, "|") != oddKey+"|plain|x?y#z" {
			t.Errorf("action checkboxes %q", boxes)
		}
		confirm = c.Submit(tl, "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": {oddKey, "x?y#z"}}, "index")
		expectStatus(t, confirm, 200)
		var links []string
		confirm.Find("#content ul li a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
		if !slices.Contains(links, "/admin/keyed/topic/"+oddPath+"/change/") || !slices.Contains(links, "/admin/keyed/topic/x_3Fy_23z/change/") {
			t.Errorf("the confirmation links to %q", links)
		}
		r = c.Submit(confirm, "#content form", url.Values{}, "")
		expectStatus(t, r, 302)
		if n := count[Topic](f, orm.Q{}); n != 1 {
			t.Errorf("%d topics left, want 1", n)
		}
	})
}

// TestKeysAutocompleteMultipleRawToField: an autocomplete over a
// many-to-many to UUID keys, and a raw id input of a to_field relation,
// which holds the slug.
func TestKeysAutocompleteMultipleRawToField(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"member": {AutocompleteFields: []string{"preferred_branches"}, RawIDFields: []string{"pickup"}},
			"branch": {SearchFields: []string{"name"}},
		}))
		c := f.root
		fid, hid := forneyID.String(), havelID.String()
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), Pickup: orm.FKTo[Branch]("havel")}
		f.insert(ann)
		if err := f.app.DB.SetM2MKeys(context.Background(), ann, "preferred_branches", []any{havelID}); err != nil {
			t.Fatal(err)
		}
		page := c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		expectStatus(t, page, 200)
		if got := strings.Join(optionValues(page, "select#id_preferred_branches.admin-autocomplete"), " "); got != "*"+hid {
			t.Errorf("autocomplete many-to-many options %q", got)
		}
		if got := page.Find("input#id_pickup.vForeignKeyRawIdAdminField").AttrOr("value", ""); got != "havel" {
			t.Errorf("raw id to_field input %q", got)
		}
		if got := page.Text(".field-pickup strong.related-label"); got != "Havel" {
			t.Errorf("raw id to_field label %q", got)
		}
		if got := page.Find("#lookup_id_pickup").AttrOr("href", ""); got != "/admin/keyed/branch/?_popup=1&_to_field=slug" {
			t.Errorf("lookup link %q", got)
		}
		r := c.Get("/admin/autocomplete/?app_label=keyed&model_name=member&field_name=preferred_branches&term=for")
		if got := strings.TrimSpace(r.Body); got != `{"results":[{"id":"`+fid+`","text":"Forney"}],"pagination":{"more":false}}` {
			t.Errorf("autocomplete answer %s", got)
		}
		r = c.Submit(page, "#member_form", url.Values{"preferred_branches": {fid, hid}, "pickup": {"forney"}}, "_save")
		expectStatus(t, r, 302)
		ann = get[Member](f, orm.Q{"pk": ann.ID})
		if got := m2mKeys(f, ann, "preferred_branches"); ann.Pickup.ID != "forney" || got != hid+" "+fid {
			t.Errorf("pickup %q, preferred branches %q", ann.Pickup.ID, got)
		}
		page = c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		if got := strings.Join(optionValues(page, "#id_preferred_branches"), " "); got != "*"+hid+" *"+fid {
			t.Errorf("chosen branches, by key: %q", got)
		}
	})
}

// TestKeysListEditableRelations: list_editable selects of foreign keys to
// UUID and text keys, saved from the change list.
func TestKeysListEditableRelations(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"member": {ListDisplay: []any{"name", "country", "home_branch"}, ListEditable: []string{"country", "home_branch"}},
		}))
		c := f.root
		fid, hid := forneyID.String(), havelID.String()
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](havelID)}
		f.insert(ann)
		list := c.Get("/admin/keyed/member/")
		expectStatus(t, list, 200)
		if got := strings.Join(optionValues(list, "#id_form-0-home_branch"), " "); got != " "+fid+" *"+hid {
			t.Errorf("home branch options %q", got)
		}
		if got := strings.Join(optionValues(list, "#id_form-0-country"), " "); got != " BE CZ *FR" {
			t.Errorf("country options %q", got)
		}
		r := c.Submit(list, "#changelist-form", url.Values{"form-0-home_branch": {fid}, "form-0-country": {"BE"}}, "_save")
		expectStatus(t, r, 302)
		if got := messages(c, r); got != "1 member was changed successfully." {
			t.Errorf("message %q", got)
		}
		if m := get[Member](f, orm.Q{"pk": ann.ID}); m.HomeBranch.ID != forneyID || m.Country.ID != "BE" {
			t.Errorf("member after the save %+v", m)
		}
		list = c.Get("/admin/keyed/member/")
		r = c.Submit(list, "#changelist-form", url.Values{"form-0-home_branch": {uuid.New().String()}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text("#result_list .errorlist"); got != "Select a valid choice. That choice is not one of the available choices." {
			t.Errorf("error %q", got)
		}
	})
}
