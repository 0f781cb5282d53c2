package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// TestInfo follows a session's Info row through the session's life: it is
// written with the session, moves with a new key, goes with the session,
// and lists and ends a user's sessions.
func TestInfo(t *testing.T) {
	reg := orm.NewRegistry()
	for _, app := range []orm.AppConfig{session.App(), session.InfoApp()} {
		if _, err := reg.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		st, err := session.NewStore(db, session.Config{SecretKey: "s"})
		if err != nil {
			t.Fatal(err)
		}
		infos := func() map[string]string { // key -> owner
			t.Helper()
			rows, err := orm.All[session.Info](ctx, orm.For[session.Info](db))
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, r := range rows {
				out[r.SessionKey] = r.Owner
			}
			return out
		}
		login := func(owner string) *session.Data {
			t.Helper()
			s := st.Session(ctx, "")
			s.Set("user", owner)
			s.SetInfo(owner, "192.0.2.1", "Browser/1.0")
			if err := s.Save(ctx); err != nil {
				t.Fatal(err)
			}
			return s
		}
		a1, a2, a3, b := login("a"), login("a"), login("a"), login("b")
		if got := infos(); len(got) != 4 || got[a1.Key()] != "a" || got[b.Key()] != "b" {
			t.Fatalf("infos %v", got)
		}
		old := a1.Key()
		if err := a1.CycleKey(ctx); err != nil {
			t.Fatal(err)
		}
		if got := infos(); got[old] != "" || got[a1.Key()] != "a" {
			t.Errorf("after CycleKey: %v", got)
		}
		if err := a2.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if got := infos(); len(got) != 3 {
			t.Errorf("after Flush: %v", got)
		}
		owned, err := st.Owned(ctx, "a", 100)
		if err != nil || len(owned) != 2 || owned[0].Address != "192.0.2.1" || owned[0].Data["user"] != "a" {
			t.Fatalf("Owned = %+v, %v", owned, err)
		}
		if k, ok := st.KeyOf(owned[0].ID); !ok || k != owned[0].SessionKey {
			t.Errorf("the ID of an owned session")
		}
		n, err := st.DeleteOwned(ctx, "a", a3.Key())
		if err != nil || n != 1 {
			t.Errorf("DeleteOwned = %d, %v", n, err)
		}
		if data, _ := st.Load(ctx, a1.Key()); len(data) != 0 {
			t.Error("a signed-out session still loads")
		}
		if data, _ := st.Load(ctx, a3.Key()); data["user"] != "a" {
			t.Error("the kept session is gone")
		}
		// An expired session's info goes with it.
		if _, err := orm.For[session.Session](db).Filter(orm.Q{"pk": b.Key()}).Update(ctx,
			map[string]any{"expire_date": time.Now().Add(-time.Hour).UTC()}); err != nil {
			t.Fatal(err)
		}
		if owned, _ := st.Owned(ctx, "b", 100); len(owned) != 0 {
			t.Errorf("an expired session is listed")
		}
		if _, err := st.ClearExpired(ctx); err != nil {
			t.Fatal(err)
		}
		if got := infos(); len(got) != 1 || got[a3.Key()] != "a" {
			t.Errorf("after ClearExpired: %v", got)
		}
		if err := st.Delete(ctx, a3.Key()); err != nil {
			t.Fatal(err)
		}
		if got := infos(); len(got) != 0 {
			t.Errorf("after Delete: %v", got)
		}
	})
}
