package admin_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The keyed app holds models keyed as a Django project's often are: a
// country by its code, a topic by free text (with the characters the
// admin quotes in URLs), a branch by a UUID, and relations to them,
// including a to_field relation and many-to-many ones.
type Nation struct {
	Code string `orm:"primary_key,max_length=2,verbose_name='ISO code'"`
	Name string `orm:"max_length=80,unique"`
}

func (n *Nation) String() string { return n.Name }

func (Nation) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type Topic struct {
	Key   string `orm:"primary_key,max_length=100"`
	Title string `orm:"max_length=100"`
}

func (t *Topic) String() string { return t.Title }

func (Topic) Meta() orm.Meta { return orm.Meta{Ordering: []string{"title"}} }

// AbsoluteURL gives topics a "View on site" link.
func (t *Topic) AbsoluteURL() string { return "/topics/" + url.PathEscape(t.Key) + "/" }

type Branch struct {
	ID      uuid.UUID                        `orm:"primary_key,default=uuid4,editable=false"`
	Name    string                           `orm:"max_length=100"`
	Slug    string                           `orm:"type=slug,max_length=100,unique"`
	Country orm.ForeignKeyTo[Nation, string] `orm:"on_delete=protect,related_name=branches"`
}

func (b *Branch) String() string { return b.Name }

func (Branch) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type OpeningHours struct {
	ID      int64
	Weekday int64                               `orm:"choices=1:Monday|2:Tuesday|3:Wednesday"`
	Branch  orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=cascade,related_name=opening_hours"`
}

func (h *OpeningHours) String() string { return "hours" }

type Member struct {
	ID                int64
	Name              string                              `orm:"max_length=60"`
	Country           orm.ForeignKeyTo[Nation, string]    `orm:"on_delete=protect,related_name=members"`
	HomeBranch        orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"null,blank,on_delete=set_null,related_name=home_members"`
	PreferredBranches orm.ManyToManyTo[Branch, uuid.UUID] `orm:"blank,related_name=fans"`
	Pickup            orm.ForeignKeyTo[Branch, string]    `orm:"null,blank,to_field=slug,on_delete=cascade,related_name=pickups"`
	Topics            orm.ManyToManyTo[Topic, string]     `orm:"blank,related_name=readers"`
}

func (m *Member) String() string { return m.Name }

// Locker has an integer key the application sets: 0 is a key like any.
type Locker struct {
	Number int64                               `orm:"primary_key=explicit"`
	Label  string                              `orm:"max_length=20"`
	Branch orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"null,blank,on_delete=set_null"`
}

func (l *Locker) String() string { return l.Label }

// Jot points at an object of any model by a text object id, as a
// Django GenericForeignKey to UUID or text keys does.
type Jot struct {
	ID            int64
	Text          string                                  `orm:"max_length=50"`
	ContentType   orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ObjectID      string                                  `orm:"max_length=64"`
	ContentObject orm.GenericForeignKey
}

func (m *Jot) String() string { return m.Text }

// Slot is edited inline on its locker.
type Slot struct {
	ID     int64
	Size   int64
	Locker orm.ForeignKeyTo[Locker, int64] `orm:"on_delete=cascade"`
}

// Two branch ids, and the text key with characters Django's quote
// escapes ("_" and "/"), a space and a non-ASCII letter.
var (
	forneyID = uuid.MustParse("f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b")
	havelID  = uuid.MustParse("6021923a-da71-4e72-953b-8d334312d7bf")
)

const oddKey = "a_b/c d é"

// newKeyed is newFixture with the keyed app, its rows seeded: three
// countries, two branches, three topics.
func newKeyed(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	f := newProject(t, dialect, []orm.AppConfig{{Name: "keyed", Models: []any{Nation{}, Topic{}, Branch{}, OpeningHours{}, Member{}, Locker{}, Slot{}, Jot{}}}}, register)
	f.insert(&Nation{Code: "FR", Name: "France"}, &Nation{Code: "CZ", Name: "Czechia"}, &Nation{Code: "BE", Name: "Belgium"})
	f.insert(&Topic{Key: oddKey, Title: "Odd"}, &Topic{Key: "plain", Title: "Plain"}, &Topic{Key: "x?y#z", Title: "Query"})
	f.insert(&Branch{ID: forneyID, Name: "Forney", Slug: "forney", Country: orm.FKTo[Nation]("FR")},
		&Branch{ID: havelID, Name: "Havel", Slug: "havel", Country: orm.FKTo[Nation]("CZ")})
	return f
}

// registerKeyed registers the keyed models with the given admins (nil for
// the default).
func registerKeyed(admins map[string]*admin.ModelAdmin) func(*admin.Site) error {
	return func(site *admin.Site) error {
		for _, m := range []struct {
			name  string
			model any
		}{{"nation", Nation{}}, {"topic", Topic{}}, {"branch", Branch{}}, {"openinghours", OpeningHours{}}, {"member", Member{}}, {"locker", Locker{}}} {
			var err error
			if ma := admins[m.name]; ma != nil {
				err = site.Register(m.model, ma)
			} else {
				err = site.Register(m.model, nil)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
}

// get loads one object of T, failing the test when there is none.
func get[T any](f *fixture, q orm.Q) *T {
	f.t.Helper()
	obj, err := orm.Get[T](context.Background(), orm.For[T](f.app.DB), q)
	if err != nil {
		f.t.Fatalf("%v: %v", q, err)
	}
	return obj
}

// count counts the objects of T that q selects.
func count[T any](f *fixture, q orm.Q) int64 {
	f.t.Helper()
	n, err := orm.For[T](f.app.DB).Filter(q).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// oddPath is oddKey as the admin puts it in a URL: admin-quoted, then
// percent-encoded.
const oddPath = "a_5Fb_2Fc%20d%20%C3%A9"

func TestKeysTextObjectPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(nil))
		c := f.root
		if got := admin.Quote(oddKey); got != "a_5Fb_2Fc d é" {
			t.Fatalf("Quote(%q) = %q", oddKey, got)
		}
		list := c.Get("/admin/keyed/topic/")
		expectStatus(t, list, 200)
		var hrefs []string
		list.Find("#result_list th.field-__str__ a").Each(func(_ int, a *goquery.Selection) {
			hrefs = append(hrefs, a.AttrOr("href", ""))
		})
		want := []string{"/admin/keyed/topic/" + oddPath + "/change/", "/admin/keyed/topic/plain/change/", "/admin/keyed/topic/x_3Fy_23z/change/"}
		if strings.Join(hrefs, " ") != strings.Join(want, " ") {
			t.Errorf("change list links %q, want %q", hrefs, want)
		}
		// The change form, found by the quoted key; its history and
		// delete links keep the quoting.
		page := c.Get("/admin/keyed/topic/" + oddPath + "/change/")
		expectStatus(t, page, 200)
		if got := page.Find("input[name=key]").AttrOr("value", ""); got != oddKey {
			t.Errorf("key input holds %q", got)
		}
		if got := page.Find("a.historylink").AttrOr("href", ""); got != "/admin/keyed/topic/"+oddPath+"/history/" {
			t.Errorf("history link %q", got)
		}
		if got := page.Find("a.deletelink").AttrOr("href", ""); got != "/admin/keyed/topic/"+oddPath+"/delete/" {
			t.Errorf("delete link %q", got)
		}
		r := c.Submit(page, "#topic_form", url.Values{"title": {"Odder"}}, "_continue")
		expectStatus(t, r, 302)
		if r.Location() != "/admin/keyed/topic/"+oddPath+"/change/" {
			t.Errorf("continue editing goes to %q", r.Location())
		}
		if got := get[Topic](f, orm.Q{"pk": oddKey}); got.Title != "Odder" {
			t.Errorf("title after the change: %q", got.Title)
		}
		// A key with "_" followed by letters that are no code stays as it is.
		f.insert(&Topic{Key: "_zz", Title: "Underscore"})
		expectStatus(t, c.Get("/admin/keyed/topic/_5Fzz/change/"), 200)
		expectStatus(t, c.Get("/admin/keyed/topic/_zz/change/"), 200)

		// History lists the change, its LogEntry keeps the raw key.
		hist := c.Get("/admin/keyed/topic/" + oddPath + "/history/")
		expectStatus(t, hist, 200)
		if !strings.Contains(hist.Text("#change-history"), "Changed Title.") {
			t.Errorf("history: %q", words(hist.Text("#change-history")))
		}
		if got := hist.Find("nav.breadcrumbs a").Last().AttrOr("href", ""); got != "/admin/keyed/topic/"+oddPath+"/change/" {
			t.Errorf("history breadcrumb %q", got)
		}
		es := f.logEntries()
		if len(es) != 1 || es[0].ObjectID == nil || *es[0].ObjectID != oddKey {
			t.Fatalf("log entries %+v", es)
		}
		index := c.Get("/admin/")
		if got := index.Find("#recent-actions-module ul.actionlist a").AttrOr("href", ""); got != "/admin/keyed/topic/"+oddPath+"/change/" {
			t.Errorf("recent action link %q", got)
		}

		// Add a topic keyed by text with a slash: the redirect and message
		// link to it.
		add := c.Get("/admin/keyed/topic/add/")
		r = c.Submit(add, "#topic_form", url.Values{"key": {"new/one"}, "title": {"New"}}, "_save")
		expectStatus(t, r, 302)
		msg := c.Follow(r)
		if got := msg.Find(".messagelist a").AttrOr("href", ""); got != "/admin/keyed/topic/new_2Fone/change/" {
			t.Errorf("message link %q", got)
		}
		// Save as new from the odd topic's page.
		page = c.Get("/admin/keyed/topic/" + oddPath + "/change/")
		r = c.Submit(page, "#topic_form", url.Values{"key": {"copy_1"}, "title": {"Copy"}}, "_saveasnew")
		expectStatus(t, r, 302)
		if r.Location() != "/admin/keyed/topic/copy_5F1/change/" {
			t.Errorf("save as new goes to %q", r.Location())
		}
		if n := count[Topic](f, orm.Q{"pk__in": []string{oddKey, "copy_1"}}); n != 2 {
			t.Errorf("%d of the two topics after save as new", n)
		}

		// Delete, confirmed.
		del := c.Get("/admin/keyed/topic/" + oddPath + "/delete/")
		expectStatus(t, del, 200)
		if got := del.Find("nav.breadcrumbs a").Last().AttrOr("href", ""); got != "/admin/keyed/topic/"+oddPath+"/change/" {
			t.Errorf("delete breadcrumb %q", got)
		}
		r = c.Submit(del, "#content form", url.Values{}, "")
		expectStatus(t, r, 302)
		if got := messages(c, r); got != "The topic “Odder” was deleted successfully." {
			t.Errorf("message %q", got)
		}
		if n := count[Topic](f, orm.Q{"pk": oddKey}); n != 0 {
			t.Error("the topic was not deleted")
		}
		// A key that is no object: the index, with Django's message.
		r = c.Get("/admin/keyed/topic/" + oddPath + "/change/")
		expectStatus(t, r, 302)
		if got := messages(c, r); got != "Topic with ID “"+oddKey+"” doesn’t exist. Perhaps it was deleted?" {
			t.Errorf("message %q", got)
		}
	})
}

// branchAdmin edits a branch's opening hours inline.
func branchAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{Inlines: []admin.Inline{admin.Tabular(OpeningHours{})}, SearchFields: []string{"name"}}
}

func TestKeysUUIDObjectPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{"branch": branchAdmin()}))
		c := f.root
		f.insert(&OpeningHours{Weekday: 1, Branch: orm.FKTo[Branch](forneyID)})
		list := c.Get("/admin/keyed/branch/")
		expectStatus(t, list, 200)
		if got := list.Find("#result_list th.field-__str__ a").First().AttrOr("href", ""); got != "/admin/keyed/branch/"+forneyID.String()+"/change/" {
			t.Errorf("change list link %q", got)
		}
		if got := list.Find("#result_list input.action-select").First().AttrOr("value", ""); got != forneyID.String() {
			t.Errorf("action checkbox value %q", got)
		}
		// The hex form without hyphens finds the branch too, as Django's
		// UUIDField.to_python reads it; a key that is no UUID is not found.
		expectStatus(t, c.Get("/admin/keyed/branch/"+strings.ReplaceAll(forneyID.String(), "-", "")+"/change/"), 200)
		r := c.Get("/admin/keyed/branch/not-a-uuid/change/")
		expectStatus(t, r, 302)
		if got := messages(c, r); got != "Branch with ID “not-a-uuid” doesn’t exist. Perhaps it was deleted?" {
			t.Errorf("message %q", got)
		}

		// The change form: the inline's hidden keys hold hyphenated UUIDs.
		page := c.Get("/admin/keyed/branch/" + forneyID.String() + "/change/")
		expectStatus(t, page, 200)
		if got := page.Find(`input[name="opening_hours-0-branch"]`).AttrOr("value", ""); got != forneyID.String() {
			t.Errorf("the inline row's parent key %q", got)
		}
		if got := page.Find(`input[name="opening_hours-1-branch"]`).AttrOr("value", ""); got != forneyID.String() {
			t.Errorf("the extra row's parent key %q", got)
		}
		if got := page.Find(`#id_country option[selected]`).AttrOr("value", ""); got != "FR" {
			t.Errorf("the selected country %q", got)
		}
		hours := get[OpeningHours](f, orm.Q{"branch": forneyID})
		// Change the row, add one, and the country.
		r = c.Submit(page, "#branch_form", url.Values{
			"country": {"BE"}, "opening_hours-0-weekday": {"3"}, "opening_hours-1-weekday": {"2"},
		}, "_save")
		expectStatus(t, r, 302)
		if b := get[Branch](f, orm.Q{"pk": forneyID}); b.Country.ID != "BE" {
			t.Errorf("country after the change: %q", b.Country.ID)
		}
		if got := get[OpeningHours](f, orm.Q{"pk": hours.ID}); got.Weekday != 3 || got.Branch.ID != forneyID {
			t.Errorf("the changed row %+v", got)
		}
		if n := count[OpeningHours](f, orm.Q{"branch": forneyID}); n != 2 {
			t.Errorf("%d rows after adding one", n)
		}
		// Delete a row.
		page = c.Get("/admin/keyed/branch/" + forneyID.String() + "/change/")
		r = c.Submit(page, "#branch_form", url.Values{"opening_hours-0-DELETE": {"on"}}, "_save")
		expectStatus(t, r, 302)
		if n := count[OpeningHours](f, orm.Q{"branch": forneyID}); n != 1 {
			t.Errorf("%d rows after deleting one", n)
		}
		// A forged parent key is refused.
		page = c.Get("/admin/keyed/branch/" + forneyID.String() + "/change/")
		r = c.Submit(page, "#branch_form", url.Values{"opening_hours-1-weekday": {"1"}, "opening_hours-1-branch": {havelID.String()}}, "_save")
		expectStatus(t, r, 200)
		if r.Find(".errornote").Length() != 1 || count[OpeningHours](f, orm.Q{"weekday": 1}) != 0 {
			t.Errorf("a row with another branch's key was saved or not reported: %q", words(r.Text("#content")))
		}

		// Add a branch with a row: a new UUID, the row pointing at it.
		add := c.Get("/admin/keyed/branch/add/")
		expectStatus(t, add, 200)
		// Django's InlineForeignKeyField leaves out a key the parent's
		// default gave it while adding: no value at all.
		if got, ok := add.Find(`input[name="opening_hours-0-branch"]`).Attr("value"); ok {
			t.Errorf("the add form's parent key %q", got)
		}
		r = c.Submit(add, "#branch_form", url.Values{"name": {"Sagan"}, "slug": {"sagan"}, "country": {"CZ"}, "opening_hours-0-weekday": {"2"}}, "_continue")
		expectStatus(t, r, 302)
		sagan := get[Branch](f, orm.Q{"slug": "sagan"})
		if sagan.ID == uuid.Nil || r.Location() != "/admin/keyed/branch/"+sagan.ID.String()+"/change/" {
			t.Errorf("new branch %s, redirect %q", sagan.ID, r.Location())
		}
		if n := count[OpeningHours](f, orm.Q{"branch": sagan.ID, "weekday": 2}); n != 1 {
			t.Errorf("the new branch has %d rows", n)
		}
		// The log keeps the hyphenated key; history and recent actions
		// link back.
		es := f.logEntries()
		last := es[len(es)-1]
		if last.ObjectID == nil || *last.ObjectID != sagan.ID.String() {
			t.Errorf("log entry object id %v", last.ObjectID)
		}
		hist := c.Get("/admin/keyed/branch/" + sagan.ID.String() + "/history/")
		expectStatus(t, hist, 200)
		if !strings.Contains(words(hist.Text("#change-history")), "Added.") {
			t.Errorf("history %q", words(hist.Text("#change-history")))
		}
		if got := c.Get("/admin/").Find("#recent-actions-module ul.actionlist a").First().AttrOr("href", ""); got != "/admin/keyed/branch/"+sagan.ID.String()+"/change/" {
			t.Errorf("recent action link %q", got)
		}

		// Save as new: another UUID, the rows copied.
		page = c.Get("/admin/keyed/branch/" + sagan.ID.String() + "/change/")
		r = c.Submit(page, "#branch_form", url.Values{"slug": {"sagan-2"}}, "_saveasnew")
		expectStatus(t, r, 302)
		copied := get[Branch](f, orm.Q{"slug": "sagan-2"})
		if copied.ID == sagan.ID || r.Location() != "/admin/keyed/branch/"+copied.ID.String()+"/change/" {
			t.Errorf("copy %s of %s, redirect %q", copied.ID, sagan.ID, r.Location())
		}
		if n := count[OpeningHours](f, orm.Q{"branch": copied.ID}); n != 1 {
			t.Errorf("the copy has %d rows", n)
		}

		// Delete, with the cascade listed.
		del := c.Get("/admin/keyed/branch/" + sagan.ID.String() + "/delete/")
		expectStatus(t, del, 200)
		if got := del.Find("#content ul li a").First().AttrOr("href", ""); got != "/admin/keyed/branch/"+sagan.ID.String()+"/change/" {
			t.Errorf("the deleted object's link %q", got)
		}
		r = c.Submit(del, "#content form", url.Values{}, "")
		expectStatus(t, r, 302)
		if n := count[Branch](f, orm.Q{"pk": sagan.ID}) + count[OpeningHours](f, orm.Q{"branch": sagan.ID}); n != 0 {
			t.Errorf("%d rows left after the delete", n)
		}
		es = f.logEntries()
		if last := es[len(es)-1]; last.ActionFlag != admin.Deletion || *last.ObjectID != sagan.ID.String() {
			t.Errorf("deletion entry %+v", last)
		}
	})
}

// optionValues lists the values of a select's options, the selected
// ones marked with "*".
func optionValues(r *webtest.Response, selector string) []string {
	var out []string
	r.Find(selector + " option").Each(func(_ int, o *goquery.Selection) {
		v := o.AttrOr("value", "")
		if _, ok := o.Attr("selected"); ok {
			v = "*" + v
		}
		out = append(out, v)
	})
	return out
}

// m2mKeys loads the keys a member's many-to-many field holds, as text.
func m2mKeys(f *fixture, m *Member, field string) string {
	f.t.Helper()
	keys, err := f.app.DB.LoadM2MKeys(context.Background(), m, field)
	if err != nil {
		f.t.Fatal(err)
	}
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprint(k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

// TestKeysTextParentReadonlyColumns: an inline on a text-keyed parent,
// read-only relation fields and change list columns of relations to
// text and UUID keys, and "View on site" of a text key.
func TestKeysTextParentReadonlyColumns(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		members := admin.Tabular(Member{})
		members.Fields = []string{"name"}
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"nation": {Inlines: []admin.Inline{members, admin.Stacked(Branch{})}},
			"member": {ReadonlyFields: []string{"home_branch", "topics", "pickup"}, ListDisplay: []any{"name", "country", "home_branch", "pickup"}},
		}))
		c := f.root
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](havelID), Pickup: orm.FKTo[Branch]("forney")}
		bob := &Member{Name: "Bob", Country: orm.FKTo[Nation]("FR")}
		f.insert(ann, bob)
		if err := f.app.DB.SetM2MKeys(context.Background(), ann, "topics", []any{oddKey, "plain"}); err != nil {
			t.Fatal(err)
		}

		// The inline's hidden parent key is the country's code.
		page := c.Get("/admin/keyed/nation/FR/change/")
		expectStatus(t, page, 200)
		if got := page.Find(`input[name="members-0-country"]`).AttrOr("value", ""); got != "FR" {
			t.Errorf("inline parent key %q", got)
		}
		// The rows of UUID-keyed branches carry their hyphenated keys.
		if got := page.Find(`input[name="branches-0-id"]`).AttrOr("value", ""); got != forneyID.String() {
			t.Errorf("the branch row's key %q", got)
		}
		r := c.Submit(page, "#nation_form", url.Values{"members-0-name": {"Ann B"}, "members-2-name": {"Dee"},
			"branches-0-name": {"Forney renamed"}, "branches-1-name": {"Ernaux"}, "branches-1-slug": {"ernaux"}}, "_save")
		expectStatus(t, r, 302)
		if n := count[Member](f, orm.Q{"country": "FR", "name__in": []string{"Ann B", "Dee"}}); n != 2 {
			t.Errorf("%d of the changed and added members", n)
		}
		if b := get[Branch](f, orm.Q{"pk": forneyID}); b.Name != "Forney renamed" {
			t.Errorf("the branch row was not changed: %q", b.Name)
		}
		if b := get[Branch](f, orm.Q{"slug": "ernaux"}); b.ID == uuid.Nil || b.Country.ID != "FR" {
			t.Errorf("the added branch %+v", b)
		}
		// A row key that is none of the nation's branches is refused.
		page = c.Get("/admin/keyed/nation/FR/change/")
		r = c.Submit(page, "#nation_form", url.Values{"branches-0-id": {havelID.String()}, "branches-0-name": {"Stolen"}}, "_save")
		expectStatus(t, r, 200)
		if b := get[Branch](f, orm.Q{"pk": havelID}); b.Name != "Havel" {
			t.Errorf("a branch of another nation was changed: %q", b.Name)
		}

		// Read-only relations show the related objects' names.
		page = c.Get("/admin/keyed/member/" + key(ann.ID) + "/change/")
		expectStatus(t, page, 200)
		for field, want := range map[string]string{"home_branch": "Havel", "topics": "Odd, Plain", "pickup": "Forney renamed"} {
			if got := words(page.Text(".field-" + field + " .readonly")); got != want {
				t.Errorf("read-only %s %q, want %q", field, got, want)
			}
		}
		bobPage := c.Get("/admin/keyed/member/" + key(bob.ID) + "/change/")
		if got := words(bobPage.Text(".field-home_branch .readonly")); got != "-" {
			t.Errorf("a NULL read-only key shows %q", got)
		}

		// Columns: the related names, "-" for NULL.
		list := c.Get("/admin/keyed/member/")
		expectStatus(t, list, 200)
		var cells []string
		list.Find("#result_list tbody tr").Each(func(_ int, tr *goquery.Selection) {
			cells = append(cells, words(tr.Find("td.field-country").Text())+"/"+words(tr.Find("td.field-home_branch").Text())+"/"+words(tr.Find("td.field-pickup").Text()))
		})
		if got := strings.Join(cells, " "); got != "France/-/- France/-/- France/Havel/Forney renamed" {
			t.Errorf("columns %q", got)
		}

		// View on site: the raw key, percent-encoded, not admin-quoted.
		page = c.Get("/admin/keyed/topic/" + oddPath + "/change/")
		link := page.Find("a.viewsitelink").AttrOr("href", "")
		ct := strings.Split(strings.TrimPrefix(link, "/admin/r/"), "/")[0]
		if link != "/admin/r/"+ct+"/a_b/c%20d%20%C3%A9/" {
			t.Errorf("View on site links to %q", link)
		}
		r = c.Get(link)
		if r.StatusCode != 302 || r.Location() != "/topics/a_b%2Fc%20d%20%C3%A9/" {
			t.Errorf("View on site answers %d %q", r.StatusCode, r.Location())
		}
	})
}

// TestKeysPaging: pages of objects keyed by UUID and by text, by number
// and by the Next link's cursor (the last row's key), give every object
// once.
func TestKeysPaging(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"branch": {ListPerPage: 2, Ordering: []string{"-pk"}},
			"topic":  {ListPerPage: 2, Ordering: []string{"pk"}},
		}))
		ctx := context.Background()
		for _, name := range []string{"Arc", "Bel", "Cor"} {
			f.insert(&Branch{Name: name, Slug: strings.ToLower(name), Country: orm.FKTo[Nation]("FR")})
		}
		f.insert(&Topic{Key: "a/2", Title: "A2"}, &Topic{Key: "a_1", Title: "A1"})
		var branches, topics []string
		bs, err := orm.All[Branch](ctx, orm.For[Branch](f.app.DB).OrderBy("-pk"))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bs {
			branches = append(branches, b.Name)
		}
		ts, err := orm.All[Topic](ctx, orm.For[Topic](f.app.DB).OrderBy("pk"))
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ts {
			topics = append(topics, x.Title)
		}
		for m, want := range map[string][]string{"branch": branches, "topic": topics} {
			path := "/admin/keyed/" + m + "/"
			var byCursor, byNumber []string
			page := f.root.Get(path)
			for range 5 {
				expectStatus(t, page, 200)
				page.Find("#result_list tbody th").Each(func(_ int, s *goquery.Selection) { byCursor = append(byCursor, words(s.Text())) })
				next, ok := page.Find("a.next").Attr("href")
				if !ok {
					break
				}
				if !strings.Contains(next, "_after=") {
					t.Errorf("%s: next link %q has no cursor", m, next)
				}
				page = f.root.Get(path + next)
			}
			for p := 1; p <= 3; p++ {
				page := f.root.Get(path + "?p=" + fmt.Sprint(p))
				page.Find("#result_list tbody th").Each(func(_ int, s *goquery.Selection) { byNumber = append(byNumber, words(s.Text())) })
			}
			if strings.Join(byCursor, "|") != strings.Join(want, "|") || strings.Join(byNumber, "|") != strings.Join(want, "|") {
				t.Errorf("%s pages: by cursor %q, by number %q, want %q", m, byCursor, byNumber, want)
			}
		}
	})
}

// TestKeysExplicitInteger: a key the user types, 0 included, and a
// foreign key to a UUID set and cleared from its form.
func TestKeysExplicitInteger(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{"locker": {Inlines: []admin.Inline{admin.Tabular(Slot{})}}}))
		c := f.root
		add := c.Get("/admin/keyed/locker/add/")
		expectStatus(t, add, 200)
		r := c.Submit(add, "#locker_form", url.Values{"number": {"0"}, "label": {"Zero"}, "branch": {havelID.String()}, "slot_set-0-size": {"3"}}, "_continue")
		expectStatus(t, r, 302)
		if r.Location() != "/admin/keyed/locker/0/change/" {
			t.Errorf("redirect %q", r.Location())
		}
		if l := get[Locker](f, orm.Q{"pk": 0}); l.Label != "Zero" || l.Branch.ID != havelID {
			t.Errorf("saved locker %+v", l)
		}
		page := c.Follow(r)
		if got := page.Find(`input[name="slot_set-0-locker"]`).AttrOr("value", ""); got != "0" {
			t.Errorf("the inline's parent key %q", got)
		}
		if got := page.Find(`input[name="slot_set-0-size"]`).AttrOr("value", ""); got != "3" {
			t.Errorf("the inline row's size %q", got)
		}
		if got := strings.Join(optionValues(page, "#id_branch"), " "); got != " "+forneyID.String()+" *"+havelID.String() {
			t.Errorf("branch choices %q", got)
		}
		r = c.Submit(page, "#locker_form", url.Values{"label": {"Nil"}, "branch": {""}, "slot_set-1-size": {"5"}}, "_save")
		expectStatus(t, r, 302)
		if l := get[Locker](f, orm.Q{"pk": 0}); l.Label != "Nil" || l.Branch.Valid {
			t.Errorf("changed locker %+v", l)
		}
		if n := count[Slot](f, orm.Q{"locker": 0, "size__in": []int64{3, 5}}); n != 2 {
			t.Errorf("locker 0 has %d slots, want 2", n)
		}
		if got := c.Follow(r).Find("#result_list th a").First().AttrOr("href", ""); got != "/admin/keyed/locker/0/change/" {
			t.Errorf("change list link %q", got)
		}
		// The key taken already: Django's unique message.
		add = c.Get("/admin/keyed/locker/add/")
		r = c.Submit(add, "#locker_form", url.Values{"number": {"0"}, "label": {"Again"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text(".field-number .errorlist"); got != "Locker with this Number already exists." {
			t.Errorf("a taken key: %q", got)
		}
	})
}

// TestKeysGenericInline: a generic inline on UUID- and text-keyed parents
// stores their keys as Django does, str(pk): a UUID hyphenated, text as
// it is, and shows each parent its own rows.
func TestKeysGenericInline(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		memos := func() admin.Inline { return admin.GenericTabular(Jot{}) }
		f := newKeyed(t, dialect, registerKeyed(map[string]*admin.ModelAdmin{
			"branch": {Inlines: []admin.Inline{memos()}},
			"topic":  {Inlines: []admin.Inline{memos()}},
		}))
		c := f.root
		ctx := context.Background()
		old := &Jot{Text: "old"}
		if err := f.app.DB.SetGenericObject(ctx, old, "content_object", get[Branch](f, orm.Q{"pk": forneyID})); err != nil {
			t.Fatal(err)
		}
		f.insert(old)
		if old.ObjectID != forneyID.String() {
			t.Errorf("SetGenericObject stored %q", old.ObjectID)
		}
		const prefix = "keyed-jot-content_type-object_id"
		for _, p := range []struct{ path, form, id string }{
			{"/admin/keyed/branch/" + forneyID.String() + "/change/", "#branch_form", forneyID.String()},
			{"/admin/keyed/branch/" + havelID.String() + "/change/", "#branch_form", havelID.String()},
			{"/admin/keyed/topic/" + oddPath + "/change/", "#topic_form", oddKey},
		} {
			page := c.Get(p.path)
			expectStatus(t, page, 200)
			initial := page.Find(`input[name="`+prefix+`-INITIAL_FORMS"]`).AttrOr("value", "")
			want, row := "0", "0"
			if p.id == forneyID.String() {
				want, row = "1", "1"
				if got := page.Find(`input[name="`+prefix+`-0-text"]`).AttrOr("value", ""); got != "old" {
					t.Errorf("%s: the memo row shows %q", p.path, got)
				}
			}
			if initial != want {
				t.Errorf("%s: %s initial memos, want %s", p.path, initial, want)
			}
			r := c.Submit(page, p.form, url.Values{prefix + "-" + row + "-text": {"new " + p.id}}, "_save")
			expectStatus(t, r, 302)
			if n := count[Jot](f, orm.Q{"object_id": p.id, "text": "new " + p.id}); n != 1 {
				t.Errorf("%s: no memo stored with the object id %q", p.path, p.id)
			}
		}
		if n := count[Jot](f, orm.Q{}); n != 4 {
			t.Errorf("%d memos, want 4", n)
		}
	})
}

// TestKeysProtectedDelete: deleting a country its branches protect lists
// them, linked by their UUIDs, and deletes nothing.
func TestKeysProtectedDelete(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newKeyed(t, dialect, registerKeyed(nil))
		c := f.root
		page := c.Get("/admin/keyed/nation/FR/delete/")
		expectStatus(t, page, 200)
		var links []string
		page.Find("#content ul li a").Each(func(_ int, a *goquery.Selection) { links = append(links, a.AttrOr("href", "")) })
		if !slices.Contains(links, "/admin/keyed/branch/"+forneyID.String()+"/change/") {
			t.Errorf("the protected branch is not linked: %q", links)
		}
		if page.Find(`#content form input[type=submit]`).Length() != 0 {
			t.Error("a protected object offers the delete button")
		}
		token := page.Find("[name=csrfmiddlewaretoken]").First().AttrOr("value", "")
		r := c.Post("/admin/keyed/nation/FR/delete/", url.Values{"csrfmiddlewaretoken": {token}, "post": {"yes"}})
		expectStatus(t, r, 200)
		if count[Nation](f, orm.Q{"pk": "FR"}) != 1 || !strings.Contains(words(r.Text("#content")), "would require deleting the following protected related objects") {
			t.Errorf("a protected country was deleted, or the page does not say why: %q", words(r.Text("#content")))
		}
	})
}
