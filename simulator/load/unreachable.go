package load

import "time"

// UnreachableReport is the report of a run that never started because the
// pre-flight check could not reach the target: no call was played, the
// verdict is fail and Run.Unreachable says why.
func UnreachableReport(info RunInfo, why string, at time.Time) *Report {
	info.StartedAt, info.EndedAt, info.Unreachable = at, at, why
	rep := &Report{Run: info}
	rep.finish()
	return rep
}
