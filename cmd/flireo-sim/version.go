package main

import (
	"regexp"
	"runtime/debug"
	"strings"
)

// resolveVersion is the version the binary reports: the one set with
// -ldflags "-X main.version=…" when there is one, else the module's build
// info: a release version (go install …@v1.2.3, or a checkout at a tag), else
// the short VCS revision of the checkout with "-dirty" when the tree had
// changes, else the module's pseudo-version (go install …@commit); "dev"
// when the build recorded none of these.
func resolveVersion(ldflags string, readBuildInfo func() (*debug.BuildInfo, bool)) string {
	if ldflags != "" && ldflags != "dev" {
		return ldflags
	}
	info, ok := readBuildInfo()
	if !ok {
		return "dev"
	}
	v := info.Main.Version
	if isReleaseVersion(v) {
		return v
	}
	if rev := revisionVersion(info.Settings); rev != "" {
		return rev
	}
	if v != "" && v != "(devel)" {
		return v
	}
	return "dev"
}

// pseudoVersion matches the end of a Go pseudo-version: a UTC time and a
// 12-digit commit, perhaps with build metadata such as +dirty.
var pseudoVersion = regexp.MustCompile(`\d{14}-[0-9a-f]{12}(\+[0-9A-Za-z.-]+)?$`)

// isReleaseVersion reports whether v names a tagged version of the module,
// built from the tag as it was.
func isReleaseVersion(v string) bool {
	return strings.HasPrefix(v, "v") && !strings.Contains(v, "+dirty") && !pseudoVersion.MatchString(v)
}

// revisionVersion is the 12-digit vcs.revision of the build settings, with
// "-dirty" when vcs.modified is true, or "" without a revision.
func revisionVersion(settings []debug.BuildSetting) string {
	var rev, modified string
	for _, s := range settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev == "" {
		return ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return rev
}
