package main

import (
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/load"
	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

// campaignFlags are serve's flags for the pace of running campaigns.
type campaignFlags struct {
	rate        *string
	concurrency *int
}

func (cf *campaignFlags) register(fs *flagSet) {
	cf.rate = fs.String("campaign-rate", "2/s", "how fast a running campaign dials its leads, e.g. 2/s or 30/m")
	cf.concurrency = fs.Int("campaign-concurrency", platform.DefaultCampaignConcurrency, "most live calls of one campaign (--max-live caps all calls)")
}

// options reads the flags into the platform's campaign options.
func (cf *campaignFlags) options() (platform.CampaignOptions, error) {
	r, err := load.ParseRate(*cf.rate)
	if err != nil {
		return platform.CampaignOptions{}, usagef("--campaign-rate: %v", err)
	}
	if r <= 0 {
		return platform.CampaignOptions{}, usagef("--campaign-rate must be above 0, e.g. 2/s")
	}
	if *cf.concurrency < 1 {
		return platform.CampaignOptions{}, usagef("--campaign-concurrency must be 1 or more")
	}
	return platform.CampaignOptions{Interval: time.Duration(float64(time.Second) / r), Concurrency: *cf.concurrency}, nil
}
