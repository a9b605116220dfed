package serverlesstest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/bluestream/bluestream/platform/serverless/azfunc"
)

// PostAzure posts an invocation request to a custom handler as the
// Functions host does, and returns the status and the decoded response.
func PostAzure(t testing.TB, url string, body []byte) (int, azfunc.Response) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out azfunc.Response
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("response body: %v", err)
	}
	return resp.StatusCode, out
}

// ReturnValue decodes a response's ReturnValue into v.
func ReturnValue(t testing.TB, out azfunc.Response, v any) {
	t.Helper()
	b, err := json.Marshal(out.ReturnValue)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		t.Fatalf("return value %v: %v", out.ReturnValue, err)
	}
}
