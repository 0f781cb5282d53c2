package guard

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
)

// Forms returns middleware that parses the body of a POST, PUT or PATCH
// form — url-encoded into r.PostForm, multipart into r.MultipartForm and
// r.PostForm — once, before any handler, so that the CSRF check and the
// views reuse it (r.ParseForm and r.ParseMultipartForm then do nothing),
// and removes a multipart body's temporary files when the request ends,
// whatever its outcome. More than MaxFields values or MaxFiles files get
// 400 Bad Request; a body or its values over their limits 413; a body cut
// by the server's read timeout 408; a malformed body 400. Use it after
// Limit, which bounds the body.
func Forms(l Limits) func(http.Handler) http.Handler {
	l = l.withDefaults()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch ||
				r.PostForm != nil || r.MultipartForm != nil {
				next.ServeHTTP(w, r)
				return
			}
			var err error
			switch mediaType(r) {
			case "application/x-www-form-urlencoded":
				r.PostForm, err = readURLEncoded(r.Body, l)
			case "multipart/form-data":
				var f *multipart.Form
				f, err = readMultipart(r, l)
				if f != nil {
					defer f.RemoveAll()
					r.MultipartForm, r.PostForm = f, copyValues(f.Value)
				}
			}
			if err != nil {
				refuse(w, err, l)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Errors of Forms, answered with 400 or 413.
var (
	errTooManyFields = errors.New("too many fields")
	errTooManyFiles  = errors.New("too many files")
	errValuesTooBig  = errors.New("values too large")
	errMalformed     = errors.New("malformed form data")
)

// refuse answers a request whose body Forms could not take.
func refuse(w http.ResponseWriter, err error, l Limits) {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		tooLarge(w, mbe.Limit)
	case errors.Is(err, errValuesTooBig):
		tooLarge(w, l.MaxFormSize)
	case errors.Is(err, multipart.ErrMessageTooLarge):
		w.Header().Set("Connection", "close")
		plain(w, http.StatusRequestEntityTooLarge, "Request body too large (too many parts or values).")
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The server's read timeout cut a slow body.
		w.Header().Set("Connection", "close")
		plain(w, http.StatusRequestTimeout, "Request Timeout: the body came too slowly.")
	case errors.Is(err, errTooManyFields):
		badRequest(w, "Too many form fields (the limit is "+strconv.Itoa(l.MaxFields)+").")
	case errors.Is(err, errTooManyFiles):
		badRequest(w, "Too many files (the limit is "+strconv.Itoa(l.MaxFiles)+").")
	default:
		badRequest(w, "Malformed form data.")
	}
}

// readURLEncoded reads a url-encoded body, counting its fields before
// parsing them, as Django's limited QueryDict does.
func readURLEncoded(body io.Reader, l Limits) (url.Values, error) {
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if l.MaxFields >= 0 && bytes.Count(b, []byte("&"))+1 > l.MaxFields {
		return nil, errTooManyFields
	}
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, errMalformed
	}
	return v, nil
}

// readMultipart reads a multipart body, keeping up to MaxFileMemory bytes
// of its files in memory and the rest in a temporary file, and checks its
// counts and the size of its values. On error the form returned, if any,
// still has to be removed.
func readMultipart(r *http.Request, l Limits) (*multipart.Form, error) {
	_, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	boundary := params["boundary"]
	if boundary == "" {
		return nil, errMalformed
	}
	f, err := multipart.NewReader(r.Body, boundary).ReadForm(l.MaxFileMemory)
	if err != nil {
		return nil, err
	}
	var fields, files int
	var size int64
	for k, vs := range f.Value {
		fields += len(vs)
		for _, v := range vs {
			size += int64(len(k) + len(v))
		}
	}
	for _, fhs := range f.File {
		files += len(fhs)
	}
	switch {
	case l.MaxFields >= 0 && fields > l.MaxFields:
		err = errTooManyFields
	case l.MaxFiles >= 0 && files > l.MaxFiles:
		err = errTooManyFiles
	case l.MaxFormSize >= 0 && size > l.MaxFormSize:
		err = errValuesTooBig
	}
	return f, err
}

func copyValues(v map[string][]string) url.Values {
	c := make(url.Values, len(v))
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// mediaType returns the request's Content-Type without its parameters,
// lower-cased.
func mediaType(r *http.Request) string {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct
}
