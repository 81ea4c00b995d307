package bot

import (
	"errors"
	"fmt"
)

// Error codes. A code tells the core how to answer; the message is a
// sentence that is safe to show a user.
const (
	EINVALID     = "invalid"     // the user's input was wrong; Message says how
	ENOTFOUND    = "not_found"   // what was asked for does not exist
	EFORBIDDEN   = "forbidden"   // the user may not do this
	EUNAVAILABLE = "unavailable" // a dependency (the database) is down; try again
	EINTERNAL    = "internal"    // a bug; the detail goes to the log only
)

// Error is influbot's error with a code and a user-safe message. Err, when
// set, carries the detail for the log.
type Error struct {
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an Error whose message is safe to show the user.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WrapError returns an Error with a user-safe message and the underlying
// detail for the log.
func WrapError(code string, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for errors that are not
// influbot Errors, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the sentence to show a user for err. Details of
// internal errors never reach the user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Sorry, something went wrong on my side. Please try again in a moment."
}
