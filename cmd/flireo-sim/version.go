package main

import "runtime/debug"

// resolveVersion is the version the binary reports: the one set with
// -ldflags "-X main.version=…" when there is one, else the module's build
// info: the module version for 'go install …@vX', else the short VCS
// revision, with "-dirty" when the tree had changes; "dev" when the build
// recorded neither.
func resolveVersion(ldflags string, readBuildInfo func() (*debug.BuildInfo, bool)) string {
	if ldflags != "" && ldflags != "dev" {
		return ldflags
	}
	info, ok := readBuildInfo()
	if !ok {
		return "dev"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	return revisionVersion(info.Settings)
}

// revisionVersion is the short vcs.revision of the build settings, "-dirty"
// when vcs.modified is true, or "dev" without a revision.
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
		return "dev"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if modified == "true" {
		rev += "-dirty"
	}
	return rev
}
