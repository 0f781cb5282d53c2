// Package session keeps per-visitor data, as Django's
// django.contrib.sessions does with its database and signed-cookie
// backends.
//
// With the Database engine (the default) the data of a session lives in a
// row of the django_session table, signed and compressed exactly as Django
// writes it, so a Django project's sessions stay valid when Staffroom opens
// its database, and the other way round. The browser only holds the session
// key, in the "sessionid" cookie. With the SignedCookies engine the whole
// session travels in that cookie, signed in the format of Django's
// signed_cookies backend: nothing is stored on the server, and nothing on
// the server can end a session early.
//
// Wire it up by registering App with the model registry, building a Store
// with NewStore and wrapping the handlers that use sessions with
// Store.Middleware. Handlers then reach the request's session with From:
//
//	s := session.From(r)
//	s.Set("cart", []any{"a", "b"})
//	n, _ := s.Int("visits")
//
// The middleware loads a session only when a handler first touches it, and
// writes it back, with its cookie, just before the response's headers go out
// when it was modified. A cookie naming a session that does not exist (or
// has expired) gives an empty session, and a new key is chosen when it is
// saved, so a visitor can never be made to use a key somebody else picked.
// Session data that fails its signature check is treated as empty and
// reported at WARN level as "Session data corrupted", never as an error.
//
// Values must be JSON-compatible: strings, numbers, booleans, nil, and maps
// with string keys and slices of those. They are read back as JSON decodes
// them, with numbers as json.Number (Data.Int and Data.String convert), maps
// as map[string]any and slices as []any.
//
// The package knows nothing of users: the auth package stores its own keys
// ("_auth_user_id" and so on) in the session like any other value.
package session
