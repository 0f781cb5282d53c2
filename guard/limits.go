package guard

import (
	"net/http"
	"strconv"
)

// Limits bound request bodies. A zero field takes its default; a negative
// one means no limit (Django's None).
type Limits struct {
	// MaxFormSize is the largest body that is not multipart, and the most
	// bytes of a multipart body's values other than files (Django's
	// DATA_UPLOAD_MAX_MEMORY_SIZE); default 2.5 MB.
	MaxFormSize int64
	// MaxUploadSize is the largest multipart body, files included; default
	// 64 MB.
	MaxUploadSize int64
	// MaxFileMemory is how many bytes of a multipart body's files are kept
	// in memory, all files together; the rest goes to temporary files in
	// os.TempDir() (Django's FILE_UPLOAD_MAX_MEMORY_SIZE, which is per
	// file); default 2.5 MB. It cannot be negative.
	MaxFileMemory int64
	// MaxFields is the most values a form body may carry (Django's
	// DATA_UPLOAD_MAX_NUMBER_FIELDS); default 1000. Go's multipart parser
	// refuses more than 1000 parts whatever this says.
	MaxFields int
	// MaxFiles is the most files a multipart body may carry (Django's
	// DATA_UPLOAD_MAX_NUMBER_FILES); default 100.
	MaxFiles int
}

// Django's defaults, and the total for uploads.
const (
	DefaultMaxFormSize   = 2621440 // 2.5 MB
	DefaultMaxUploadSize = 64 << 20
	DefaultMaxFileMemory = 2621440
	DefaultMaxFields     = 1000
	DefaultMaxFiles      = 100
)

func (l Limits) withDefaults() Limits {
	if l.MaxFormSize == 0 {
		l.MaxFormSize = DefaultMaxFormSize
	}
	if l.MaxUploadSize == 0 {
		l.MaxUploadSize = DefaultMaxUploadSize
	}
	if l.MaxFileMemory <= 0 {
		l.MaxFileMemory = DefaultMaxFileMemory
	}
	if l.MaxFields == 0 {
		l.MaxFields = DefaultMaxFields
	}
	if l.MaxFiles == 0 {
		l.MaxFiles = DefaultMaxFiles
	}
	return l
}

// Limit returns middleware that bounds request bodies: MaxUploadSize for a
// multipart body, MaxFormSize for any other. A body whose Content-Length
// is over its limit gets 413 Request Entity Too Large at once, unread; one
// that turns out longer while read makes the reader fail with an
// *http.MaxBytesError (which Forms answers with 413) and the connection
// close.
func Limit(l Limits) func(http.Handler) http.Handler {
	l = l.withDefaults()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := l.MaxFormSize
			if mediaType(r) == "multipart/form-data" {
				limit = l.MaxUploadSize
			}
			if limit >= 0 && r.Body != nil && r.Body != http.NoBody {
				if r.ContentLength > limit {
					tooLarge(w, limit)
					return
				}
				r.Body = http.MaxBytesReader(w, r.Body, limit)
			}
			next.ServeHTTP(w, r)
		})
	}
}

// tooLarge answers 413 and closes the connection, whose unread body would
// otherwise have to be drained.
func tooLarge(w http.ResponseWriter, limit int64) {
	w.Header().Set("Connection", "close")
	plain(w, http.StatusRequestEntityTooLarge, "Request body too large (the limit is "+strconv.FormatInt(limit, 10)+" bytes).")
}
