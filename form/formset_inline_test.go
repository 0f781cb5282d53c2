package form_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// pollFixture is two polls with two choices each, and a ballot cast for
// the first choice of the first poll.
type pollFixture struct {
	ctx     context.Context
	db      *orm.DB
	choices *orm.Model
	polls   []*Poll
	chs     [][]*PollChoice
}

func newPollFixture(t *testing.T, db *orm.DB) *pollFixture {
	t.Helper()
	fx := &pollFixture{ctx: context.Background(), db: db, choices: modelOf(t, db, PollChoice{})}
	for _, q := range []string{"Tea?", "Coffee?"} {
		p := &Poll{Question: q}
		fx.insert(t, p)
		fx.polls = append(fx.polls, p)
		var chs []*PollChoice
		for _, text := range []string{"Yes", "No"} {
			c := &PollChoice{Poll: orm.FK[Poll](p.ID), Text: text}
			fx.insert(t, c)
			chs = append(chs, c)
		}
		fx.chs = append(fx.chs, chs)
	}
	fx.insert(t, &Ballot{Choice: orm.FK[PollChoice](fx.chs[0][0].ID), Voter: "Ann"})
	return fx
}

func (fx *pollFixture) insert(t testing.TB, obj any) {
	t.Helper()
	if err := fx.db.Insert(fx.ctx, obj); err != nil {
		t.Fatal(err)
	}
}

func (fx *pollFixture) inline(t testing.TB, parent any, opts form.ModelFormSetOptions) *form.ModelFormSet {
	t.Helper()
	fs, err := form.NewInlineFormSet(fx.ctx, fx.db, parent, fx.choices, opts)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// state describes every choice in the database: "poll:text:votes".
func (fx *pollFixture) state(t testing.TB) string {
	t.Helper()
	objs, err := fx.db.Query(fx.choices).OrderBy("pk").All(fx.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range objs {
		c := o.(*PollChoice)
		out = append(out, id(c.Poll.ID)+":"+c.Text+":"+id(int64(c.Votes)))
	}
	return strings.Join(out, " ")
}

// inlineData is a submission of the inline formset of choices of poll p:
// one row per form, as "id", "text", "votes" and more key-value pairs.
func inlineData(total, initial int, rows ...[]string) url.Values {
	data := url.Values{"pollchoice_set-TOTAL_FORMS": {id(int64(total))}, "pollchoice_set-INITIAL_FORMS": {id(int64(initial))},
		"pollchoice_set-MIN_NUM_FORMS": {"0"}, "pollchoice_set-MAX_NUM_FORMS": {"1000"}}
	for i, kv := range rows {
		for j := 0; j+1 < len(kv); j += 2 {
			data.Set("pollchoice_set-"+id(int64(i))+"-"+kv[j], kv[j+1])
		}
	}
	return data
}

func TestInlineFormSet(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newPollFixture(t, db)
		p0 := id(fx.polls[0].ID)
		opts := form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 3, CanDelete: true}}
		fs := fx.inline(t, fx.polls[0], opts)
		if fs.Prefix() != "pollchoice_set" || fs.FK().Name != "poll" || fs.Parent() != fx.polls[0] {
			t.Errorf("prefix %q", fs.Prefix())
		}
		forms := fs.Forms()
		if len(forms) != 5 || len(fs.Objects()) != 2 {
			t.Fatalf("%d forms over %d objects", len(forms), len(fs.Objects()))
		}
		if got := string(forms[0].Field("poll").Widget()); got != `<input type="hidden" name="pollchoice_set-0-poll" value="`+p0+`" id="id_pollchoice_set-0-poll">` {
			t.Errorf("hidden parent key: %s", got)
		}
		if got := string(forms[4].Field("poll").Widget()); !strings.Contains(got, `value="`+p0+`"`) {
			t.Errorf("an extra form carries the parent's key too: %s", got)
		}
		empty, err := fs.EmptyForm()
		if err != nil {
			t.Fatal(err)
		}
		if got := string(empty.Field("poll").Widget()); got != `<input type="hidden" name="pollchoice_set-__prefix__-poll" value="`+p0+`" id="id_pollchoice_set-__prefix__-poll">` {
			t.Errorf("empty form: %s", got)
		}
		if names := names(forms[0].Fields()); strings.Join(names, " ") != "text votes id DELETE poll" && strings.Join(names, " ") != "text votes id poll DELETE" {
			t.Errorf("fields %v", names)
		}

		yes, no := id(fx.chs[0][0].ID), id(fx.chs[0][1].ID)
		fs = fx.inline(t, fx.polls[0], opts)
		fs.Bind(inlineData(4, 2,
			[]string{"id", yes, "poll", p0, "text", "Yes", "votes", "3"},
			[]string{"id", no, "poll", p0, "text", "No", "votes", "0"},
			[]string{"poll", p0, "text", "Maybe", "votes", "1"},
			[]string{"poll", p0, "text", "", "votes", "0"}))
		if !fs.IsValid() {
			t.Fatalf("%v %v", fs.Errors(), fs.NonFormErrors())
		}
		saved, err := fs.Save(fx.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.New) != 1 || len(saved.Changed) != 1 || !slices.Equal(saved.Changed[0].Labels, []string{"Votes"}) {
			t.Errorf("saved %+v", saved)
		}
		if got, want := fx.state(t), p0+":Yes:3 "+p0+":No:0 "+id(fx.polls[1].ID)+":Yes:0 "+id(fx.polls[1].ID)+":No:0 "+p0+":Maybe:1"; got != want {
			t.Errorf("database:\n got %s\nwant %s", got, want)
		}

		// A duplicate of unique_together among the new forms.
		fs = fx.inline(t, fx.polls[0], opts)
		fs.Bind(inlineData(2, 0, []string{"poll", p0, "text", "Later", "votes", "0"}, []string{"poll", p0, "text", "Later", "votes", "0"}))
		if fs.IsValid() || !slices.Equal(fs.NonFormErrors(), []string{"Please correct the duplicate data for poll and text, which must be unique."}) {
			t.Errorf("duplicates: %q", fs.NonFormErrors())
		}
		// And of a row in the database.
		fs = fx.inline(t, fx.polls[0], opts)
		fs.Bind(inlineData(1, 0, []string{"poll", p0, "text", "Maybe", "votes", "0"}))
		if fs.IsValid() {
			t.Error("a choice the poll has already")
		}
		checkErrors(t, fs.Errors()[0], map[string][]string{form.NonField: {"Choice with this Poll and Text already exists."}})
	})
}

// TestInlineFormSetTampering posts keys of another poll's choices and
// parent keys of another poll: each is an error and changes nothing.
func TestInlineFormSetTampering(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newPollFixture(t, db)
		p0, p1 := id(fx.polls[0].ID), id(fx.polls[1].ID)
		yes, no := id(fx.chs[0][0].ID), id(fx.chs[0][1].ID)
		theirs := id(fx.chs[1][0].ID)
		invalid := []string{"Select a valid choice. That choice is not one of the available choices."}
		mismatch := []string{"The inline value did not match the parent instance."}
		cases := []struct {
			name string
			data url.Values
			form int
			errs map[string][]string
		}{
			{"another poll's choice as an initial form", inlineData(2, 2,
				[]string{"id", yes, "poll", p0, "text", "Yes", "votes", "0"}, []string{"id", theirs, "poll", p0, "text", "Hijacked", "votes", "0"}), 1, map[string][]string{"id": invalid}},
			{"another poll's choice, deleted", inlineData(2, 2,
				[]string{"id", yes, "poll", p0, "text", "Yes", "votes", "0"}, []string{"id", theirs, "poll", p0, "text", "Yes", "DELETE", "on", "votes", "0"}), 1, map[string][]string{"id": invalid}},
			{"another poll's choice in an extra form", inlineData(3, 2,
				[]string{"id", yes, "poll", p0, "text", "Yes", "votes", "0"}, []string{"id", no, "poll", p0, "text", "No", "votes", "0"}, []string{"id", theirs, "poll", p0, "text", "Moved", "votes", "0"}),
				2, map[string][]string{"id": invalid}},
			{"a parent key pointing elsewhere", inlineData(2, 2,
				[]string{"id", yes, "poll", p1, "text", "Yes", "votes", "0"}, []string{"id", no, "poll", p0, "text", "No", "votes", "0"}), 0, map[string][]string{"poll": mismatch}},
			{"a new choice for another poll", inlineData(3, 2,
				[]string{"id", yes, "poll", p0, "text", "Yes", "votes", "0"}, []string{"id", no, "poll", p0, "text", "No", "votes", "0"}, []string{"poll", p1, "text", "Planted", "votes", "0"}),
				2, map[string][]string{"poll": mismatch}},
			{"a parent key alone in an extra form", inlineData(1, 0, []string{"poll", p1, "votes", "0"}), 0, map[string][]string{"poll": mismatch, "text": required}},
		}
		before := fx.state(t)
		for _, c := range cases {
			fs := fx.inline(t, fx.polls[0], form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{CanDelete: true}})
			fs.Bind(c.data)
			if fs.IsValid() {
				t.Errorf("%s: valid", c.name)
			}
			checkErrors(t, fs.Errors()[c.form], c.errs)
			if _, err := fs.Save(fx.ctx); err == nil {
				t.Errorf("%s: saved", c.name)
			}
			if got := fx.state(t); got != before {
				t.Fatalf("%s: the database changed:\n%s\n%s", c.name, before, got)
			}
		}
	})
}

func TestInlineFormSetDeletion(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newPollFixture(t, db)
		p0 := id(fx.polls[0].ID)
		yes, no := id(fx.chs[0][0].ID), id(fx.chs[0][1].ID)
		opts := form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{CanDelete: true}}
		before := fx.state(t)
		fs := fx.inline(t, fx.polls[0], opts)
		fs.Bind(inlineData(2, 2, []string{"id", yes, "poll", p0, "text", "Yes", "DELETE", "on", "votes", "0"}, []string{"id", no, "poll", p0, "text", "No", "votes", "0"}))
		if fs.IsValid() {
			t.Fatal("deleting a protected choice is valid")
		}
		checkErrors(t, fs.Errors()[0], map[string][]string{form.NonField: {
			"Deleting choice Yes would require deleting the following protected related objects: ballot Ann"}})
		if fs.TotalErrorCount() != 1 {
			t.Errorf("error count %d", fs.TotalErrorCount())
		}
		if _, err := fs.Save(fx.ctx); err == nil || fx.state(t) != before {
			t.Errorf("a protected row was deleted: %v", err)
		}
		fs = fx.inline(t, fx.polls[0], opts)
		fs.Bind(inlineData(2, 2, []string{"id", yes, "poll", p0, "text", "Yes", "votes", "0"}, []string{"id", no, "poll", p0, "text", "", "DELETE", "on", "votes", "0"}))
		saved, err := fs.Save(fx.ctx)
		if err != nil {
			t.Fatalf("%v %v %v", err, fs.Errors(), fs.NonFormErrors())
		}
		if len(saved.Deleted) != 1 || saved.Deleted[0].(*PollChoice).Text != "No" {
			t.Errorf("deleted %+v", saved.Deleted)
		}
		if n, _ := db.Query(fx.choices).Filter(orm.Q{"poll": fx.polls[0].ID}).Count(fx.ctx); n != 1 {
			t.Errorf("%d choices left", n)
		}
	})
}

func TestInlineFormSetNewParent(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newPollFixture(t, db)
		poll := &Poll{Question: "Juice?"}
		fs := fx.inline(t, poll, form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 2}})
		if len(fs.Forms()) != 2 || len(fs.Objects()) != 0 {
			t.Fatalf("%d forms", len(fs.Forms()))
		}
		if got := string(fs.Forms()[0].Field("poll").Widget()); got != `<input type="hidden" name="pollchoice_set-0-poll" id="id_pollchoice_set-0-poll">` {
			t.Errorf("no parent key yet: %s", got)
		}
		fs.Bind(inlineData(2, 0, []string{"poll", "", "text", "Orange", "votes", "0"}, []string{"poll", "", "text", "Apple", "votes", "0"}))
		if !fs.IsValid() {
			t.Fatalf("%v %v", fs.Errors(), fs.NonFormErrors())
		}
		if _, err := fs.Save(fx.ctx); err == nil {
			t.Error("saving children before their parent")
		}
		err := db.Atomic(fx.ctx, func(ctx context.Context) error {
			if err := db.Save(ctx, poll); err != nil {
				return err
			}
			_, err := fs.Save(ctx)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		n, _ := db.Query(fx.choices).Filter(orm.Q{"poll": poll.ID}).Count(fx.ctx)
		if poll.ID == 0 || n != 2 {
			t.Errorf("%d choices for the new poll %d", n, poll.ID)
		}
		fs = fx.inline(t, &Poll{}, form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 1}})
		fs.Bind(inlineData(1, 0, []string{"poll", id(fx.polls[0].ID), "text", "Sneaky", "votes", "0"}))
		if fs.IsValid() {
			t.Error("a parent key posted while adding the parent")
		}
	})
}

func TestInlinePrefixes(t *testing.T) {
	reg := formsetRegistry(t)
	model := func(name string) *orm.Model {
		m, err := reg.GetModel("polls." + name)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	person := model("Person")
	cases := []struct {
		child, fkName, prefix, err string
	}{
		{"PollChoice", "", "", "'polls.PollChoice' has no ForeignKey to 'polls.Person'."},
		{"Letter", "", "", "'polls.Letter' has more than one ForeignKey to 'polls.Person'. You must specify a 'fk_name' attribute."},
		{"Letter", "sender", "sent", ""},
		{"Letter", "recipient", "received", ""},
		{"Letter", "body", "", "fk_name 'body' is not a ForeignKey to 'polls.Person'."},
		{"Letter", "nope", "", "'polls.Letter' has no field named 'nope'."},
		{"Note", "", "notes", ""},
		{"Profile", "", "profile", ""},
	}
	for _, c := range cases {
		fk, err := form.ForeignKeyTo(person, model(c.child), c.fkName)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s %q: %v, want %q", c.child, c.fkName, err, c.err)
			}
			continue
		}
		if err != nil || form.InlinePrefix(fk) != c.prefix {
			t.Errorf("%s %q: prefix %q (%v), want %q", c.child, c.fkName, form.InlinePrefix(fk), err, c.prefix)
		}
	}
	p := form.Prefixes{}
	got := []string{p.Next("choice_set"), p.Next("choice_set"), p.Next("notes"), p.Next("choice_set"), p.Next(""), p.Next("")}
	if want := []string{"choice_set", "choice_set-2", "notes", "choice_set-3", "-1", "-2"}; !slices.Equal(got, want) {
		t.Errorf("Prefixes: %q, want %q", got, want)
	}
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		ann := &Person{Name: "Ann"}
		if err := db.Insert(ctx, ann); err != nil {
			t.Fatal(err)
		}
		fs, err := form.NewInlineFormSet(ctx, db, ann, modelOf(t, db, Profile{}), form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 3}})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs.Forms()) != 1 || fs.Prefix() != "profile" {
			t.Errorf("a one-to-one inline shows one form: %d, %q", len(fs.Forms()), fs.Prefix())
		}
		letters, err := form.NewInlineFormSet(ctx, db, ann, modelOf(t, db, Letter{}), form.ModelFormSetOptions{FKName: "recipient"})
		if err != nil || letters.Prefix() != "received" || letters.FK().Name != "recipient" {
			t.Errorf("fk_name: %v", err)
		}
		if _, err := form.NewInlineFormSet(ctx, db, ann, modelOf(t, db, Letter{}), form.ModelFormSetOptions{}); err == nil {
			t.Error("two keys to the parent and no FKName")
		}
	})
}
