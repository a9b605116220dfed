// Package buildinfo says which release a binary is. Release builds (make
// images, make dist-bin) stamp it:
//
//	-ldflags "-X github.com/bluestream/bluestream/platform/buildinfo.version=1.4.0"
//
// Telemetry reports it as service.version, so a trace or a metric names the
// release that produced it.
package buildinfo

import "runtime/debug"

// version is set by the linker; see the package comment.
var version string

// Version is the stamped release, else the main module's version as the Go
// toolchain recorded it (a go install of a tagged module), else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
