// Package flash carries one-time messages from one request to a later one,
// typically across the redirect that follows a successful POST, as Django's
// messages framework does with its session storage.
//
// Messages are kept in the request's session (see package session) under
// the key "_messages", in the exact form Django's SessionStorage writes, so
// a session shared with a Django project carries its messages both ways:
//
//	flash.AddSuccess(r, "The book “Dune” was added successfully.")
//	http.Redirect(w, r, "/admin/books/book/", http.StatusFound)
//
// and on the next page
//
//	for _, m := range flash.Pop(r) { ... m.Tags() ... m.HTML() ... }
//
// Pop returns the pending messages and forgets them, so each is shown once.
// Every level is stored, Debug included: unlike Django, whose default
// MESSAGE_LEVEL drops debug messages, there is no minimum level, and pages
// show all that Pop returns.
package flash
