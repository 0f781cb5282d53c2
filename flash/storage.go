package flash

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"

	"github.com/staffroom/staffroom/internal/signing"
	"github.com/staffroom/staffroom/session"
)

// SessionKey is the session key holding the pending messages, Django's
// SessionStorage.session_key.
const SessionKey = "_messages"

// messageMarker starts each encoded message, as in Django's MessageEncoder.
const messageMarker = "__json_message"

// AddMessage appends m to the request's pending messages. It panics when
// the request did not pass through the session middleware, as Django fails
// when its message middleware is missing: the message would otherwise be
// lost without a trace.
func AddMessage(r *http.Request, m Message) {
	s, ok := session.FromContext(r.Context())
	if !ok {
		panic("flash: no session: wrap the handler with session.Store.Middleware")
	}
	var msgs []Message
	if v, ok := s.Get(SessionKey); ok {
		msgs = decode(v)
	}
	s.Set(SessionKey, encode(append(msgs, m)))
}

// Add appends a plain-text message of the given level.
func Add(r *http.Request, level Level, text string) {
	AddMessage(r, Message{Level: level, Text: text})
}

// AddHTML appends a message whose text is trusted HTML, shown unescaped.
func AddHTML(r *http.Request, level Level, html template.HTML) {
	AddMessage(r, Message{Level: level, Text: string(html), Safe: true})
}

// AddDebug appends a plain-text message of level Debug.
func AddDebug(r *http.Request, text string) { Add(r, Debug, text) }

// AddInfo appends a plain-text message of level Info.
func AddInfo(r *http.Request, text string) { Add(r, Info, text) }

// AddSuccess appends a plain-text message of level Success.
func AddSuccess(r *http.Request, text string) { Add(r, Success, text) }

// AddWarning appends a plain-text message of level Warning.
func AddWarning(r *http.Request, text string) { Add(r, Warning, text) }

// AddError appends a plain-text message of level Error.
func AddError(r *http.Request, text string) { Add(r, Error, text) }

// Pop returns the pending messages, oldest first, and removes them from the
// session, so each is shown once. Outside the session middleware, or with
// nothing pending, it returns nil.
func Pop(r *http.Request) []Message {
	s, ok := session.FromContext(r.Context())
	if !ok {
		return nil
	}
	v, ok := s.Get(SessionKey)
	if !ok {
		return nil
	}
	s.Delete(SessionKey)
	return decode(v)
}

// encode writes messages as Django's MessageEncoder does: a compact JSON
// array of ["__json_message", is_safe, level, text] with the extra tags
// appended when there are any, non-ASCII characters escaped.
func encode(msgs []Message) string {
	items := make([]any, len(msgs))
	for i, m := range msgs {
		safe := 0
		if m.Safe {
			safe = 1
		}
		item := []any{messageMarker, safe, int(m.Level), m.Text}
		if m.ExtraTags != "" {
			item = append(item, m.ExtraTags)
		}
		items[i] = item
	}
	b, err := signing.PythonJSON(items)
	if err != nil {
		// Strings and integers always encode.
		panic("flash: encode messages: " + err.Error())
	}
	return string(b)
}

// decode reads the stored messages: the JSON string encode writes, or
// Django's, whose extra tags may also be "" or null. Anything it cannot
// read is dropped; pending messages are not worth an error page.
func decode(v any) []Message {
	s, ok := v.(string)
	if !ok || s == "" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var items []any
	if err := dec.Decode(&items); err != nil {
		return nil
	}
	var msgs []Message
	for _, it := range items {
		if m, ok := decodeMessage(it); ok {
			msgs = append(msgs, m)
		}
	}
	return msgs
}

func decodeMessage(v any) (Message, bool) {
	a, ok := v.([]any)
	if !ok || len(a) < 4 || len(a) > 5 || a[0] != messageMarker {
		return Message{}, false
	}
	safe, ok1 := number(a[1])
	level, ok2 := number(a[2])
	text, ok3 := a[3].(string)
	if !ok1 || !ok2 || !ok3 {
		return Message{}, false
	}
	m := Message{Level: Level(level), Text: text, Safe: safe != 0}
	if len(a) == 5 {
		m.ExtraTags, _ = a[4].(string) // null means none
	}
	return m, true
}

func number(v any) (int, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(string(n))
	return i, err == nil
}
