package flash_test

import (
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

func registry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(session.App()); err != nil {
		t.Fatal(err)
	}
	return reg
}

type shown struct {
	Text string
	Tags string
	HTML string
}

func newServer(t *testing.T, st *session.Store) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/add", func(w http.ResponseWriter, r *http.Request) {
		flash.AddSuccess(r, "The book “Dune” was added successfully.")
		flash.AddMessage(r, flash.Message{Level: flash.Warning, Text: "Mind <the> gap & more", ExtraTags: "sticky"})
		http.Redirect(w, r, "/show", http.StatusFound)
	})
	mux.HandleFunc("/show", func(w http.ResponseWriter, r *http.Request) {
		var out []shown
		for _, m := range flash.Pop(r) {
			out = append(out, shown{m.Text, m.Tags(), string(m.HTML())})
		}
		json.NewEncoder(w).Encode(out)
	})
	srv := httptest.NewServer(st.Middleware(mux))
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, srv *httptest.Server, path string, cookie *http.Cookie) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestMessagesSurviveRedirectOnce(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		st, err := session.NewStore(db, session.Config{SecretKey: "flash-test-secret"})
		if err != nil {
			t.Fatal(err)
		}
		srv := newServer(t, st)

		resp, _ := get(t, srv, "/add", nil)
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("status %d", resp.StatusCode)
		}
		var cookie *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "sessionid" {
				cookie = c
			}
		}
		if cookie == nil {
			t.Fatalf("the redirect set no session cookie")
		}

		// Stored exactly as Django's SessionStorage stores it.
		data, err := st.Load(ctx, cookie.Value)
		if err != nil {
			t.Fatal(err)
		}
		const want = `[["__json_message",0,25,"The book \u201cDune\u201d was added successfully."],` +
			`["__json_message",0,30,"Mind <the> gap & more","sticky"]]`
		if data[flash.SessionKey] != want {
			t.Errorf("stored _messages =\n%v\nwant\n%s", data[flash.SessionKey], want)
		}

		_, body := get(t, srv, "/show", cookie)
		var got []shown
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("%v: %s", err, body)
		}
		wantShown := []shown{
			{"The book “Dune” was added successfully.", "success", "The book “Dune” was added successfully."},
			{"Mind <the> gap & more", "sticky warning", "Mind &lt;the&gt; gap &amp; more"},
		}
		if !reflect.DeepEqual(got, wantShown) {
			t.Errorf("shown %+v\nwant %+v", got, wantShown)
		}
		if data, _ := st.Load(ctx, cookie.Value); data[flash.SessionKey] != nil {
			t.Errorf("_messages still stored after Pop: %v", data)
		}

		if _, body := get(t, srv, "/show", cookie); body != "null\n" {
			t.Errorf("third request shows %s, want none", body)
		}
	})
}

func TestDjangoWrittenMessages(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		st, err := session.NewStore(db, session.Config{SecretKey: "flash-test-secret"})
		if err != nil {
			t.Fatal(err)
		}
		// Django 4.1+ writes "" extra tags; older data may hold null; the
		// admin's links are marked safe.
		stored := `[["__json_message",1,25,"The book \u201c<a href=\"/admin/b/1/\">Dune</a>\u201d was added.",""],` +
			`["__json_message",0,40,"Oops",null],["not a message"],["__json_message",0,20,"Hi","a b"]]`
		var got []flash.Message
		h := st.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			session.From(r).Set(flash.SessionKey, stored)
			got = flash.Pop(r)
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		want := []flash.Message{
			{Level: flash.Success, Text: "The book “<a href=\"/admin/b/1/\">Dune</a>” was added.", Safe: true},
			{Level: flash.Error, Text: "Oops"},
			{Level: flash.Info, Text: "Hi", ExtraTags: "a b"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("decoded %+v\nwant %+v", got, want)
		}
		if h := got[0].HTML(); h != template.HTML(got[0].Text) {
			t.Errorf("a safe message was escaped: %s", h)
		}
	})
}

func TestAddHTMLAndLevels(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		st, err := session.NewStore(db, session.Config{SecretKey: "flash-test-secret"})
		if err != nil {
			t.Fatal(err)
		}
		var stored any
		var got []flash.Message
		h := st.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			flash.AddDebug(r, "d")
			flash.AddInfo(r, "i")
			flash.AddWarning(r, "w")
			flash.AddError(r, "e")
			flash.AddHTML(r, flash.Success, template.HTML(`<a href="/x">é</a>`))
			stored, _ = session.From(r).Get(flash.SessionKey)
			got = flash.Pop(r)
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		const want = `[["__json_message",0,10,"d"],["__json_message",0,20,"i"],["__json_message",0,30,"w"],` +
			`["__json_message",0,40,"e"],["__json_message",1,25,"<a href=\"/x\">\u00e9</a>"]]`
		if stored != want {
			t.Errorf("stored %v\nwant   %s", stored, want)
		}
		var tags []string
		for _, m := range got {
			tags = append(tags, m.Tags())
		}
		if !reflect.DeepEqual(tags, []string{"debug", "info", "warning", "error", "success"}) {
			t.Errorf("tags %v", tags)
		}
		if got[4].HTML() != `<a href="/x">é</a>` {
			t.Errorf("AddHTML message escaped: %s", got[4].HTML())
		}
	})
}

func TestLevelTags(t *testing.T) {
	for _, c := range []struct {
		m    flash.Message
		tags string
	}{
		{flash.Message{Level: flash.Success}, "success"},
		{flash.Message{Level: flash.Error, ExtraTags: "x y"}, "x y error"},
		{flash.Message{Level: 35, ExtraTags: "custom"}, "custom"},
		{flash.Message{Level: 35}, ""},
	} {
		if got := c.m.Tags(); got != c.tags {
			t.Errorf("%+v.Tags() = %q, want %q", c.m, got, c.tags)
		}
	}
	if flash.Debug.String() != "debug" || flash.Level(35).String() != "35" {
		t.Errorf("Level.String")
	}
}

func TestOutsideMiddleware(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if got := flash.Pop(r); got != nil {
		t.Errorf("Pop outside the middleware = %v", got)
	}
	defer func() {
		if recover() == nil {
			t.Errorf("Add outside the middleware did not panic")
		}
	}()
	flash.AddSuccess(r, "lost")
}
