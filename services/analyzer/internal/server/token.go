package server

import "encoding/base64"

// Page tokens are opaque to clients so the cursor's form can change; the
// content is the last key of the previous page.
func encodeToken(cursor string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursor))
}

func decodeToken(tok string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) == 0 {
		return "", errBadToken
	}
	return string(b), nil
}
