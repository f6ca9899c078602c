package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestResolveVersion(t *testing.T) {
	rev := "0651093c1d2e3f405162738495a6b7c8d9e0f1a2"
	settings := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	info := func(main string, s []debug.BuildSetting) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			return &debug.BuildInfo{Main: debug.Module{Path: "github.com/flireo-sim/flireo-sim", Version: main}, Settings: s}, true
		}
	}
	none := func() (*debug.BuildInfo, bool) { return nil, false }
	for _, c := range []struct {
		name, ldflags string
		read          func() (*debug.BuildInfo, bool)
		want          string
	}{
		{"ldflags win", "v1.2.3", info("v0.9.0", settings("false")), "v1.2.3"},
		{"go install @version", "dev", info("v0.4.1", nil), "v0.4.1"},
		{"go install @commit", "dev", info("v0.0.0-20261202201500-0651093c1d2e", nil), "v0.0.0-20261202201500-0651093c1d2e"},
		{"checkout at a tag", "dev", info("v1.0.0", settings("false")), "v1.0.0"},
		{"modified checkout at a tag", "dev", info("v1.0.0+dirty", settings("true")), "0651093c1d2e-dirty"},
		{"checkout past a tag", "dev", info("v1.0.1-0.20261202201500-0651093c1d2e", settings("false")), "0651093c1d2e"},
		{"checkout, no tag", "dev", info("v0.0.0-20261202201500-0651093c1d2e", settings("false")), "0651093c1d2e"},
		{"modified checkout, no tag", "dev", info("v0.0.0-20261202201500-0651093c1d2e+dirty", settings("true")), "0651093c1d2e-dirty"},
		{"checkout, older Go", "dev", info("(devel)", settings("false")), "0651093c1d2e"},
		{"modified checkout, older Go", "dev", info("(devel)", settings("true")), "0651093c1d2e-dirty"},
		{"no vcs", "dev", info("(devel)", nil), "dev"},
		{"no build info", "dev", none, "dev"},
		{"empty ldflags", "", info("(devel)", settings("false")), "0651093c1d2e"},
	} {
		assert.Equal(t, c.want, resolveVersion(c.ldflags, c.read), c.name)
	}
}
