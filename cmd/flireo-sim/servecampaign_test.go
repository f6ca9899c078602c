package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCampaignFlags(t *testing.T) {
	for _, tc := range []struct {
		args     []string
		interval time.Duration
		conc     int
	}{
		{nil, 500 * time.Millisecond, 10},
		{[]string{"--campaign-rate", "4/s"}, 250 * time.Millisecond, 10},
		{[]string{"--campaign-rate", "30/m", "--campaign-concurrency", "3"}, 2 * time.Second, 3},
	} {
		fs := newFlags("serve", "")
		var cf campaignFlags
		cf.register(fs)
		require.NoError(t, fs.Parse(tc.args))
		o, err := cf.options()
		require.NoError(t, err, tc.args)
		assert.Equal(t, tc.interval, o.Interval, tc.args)
		assert.Equal(t, tc.conc, o.Concurrency, tc.args)
	}
}
