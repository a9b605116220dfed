// Command hello stands in for a service in imagebuild's tests: small, quick
// to build, and it reports what the image must give it.
package main

import (
	"crypto/x509"
	"fmt"
	"os"
)

// version is stamped like platform/buildinfo's.
var version = "unstamped"

func main() {
	n := 0
	if roots, err := x509.SystemCertPool(); err == nil {
		n = len(roots.Subjects()) //nolint:staticcheck // a count is all the test needs
	}
	fmt.Printf("version=%s uid=%d roots=%d\n", version, os.Getuid(), n)
}
