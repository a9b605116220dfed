// Package alert turns enriched readings into alert events: threshold rules
// (battery low, measurement out of range, device or gateway silent) and
// anomaly detection on each device's measurements (EWMA mean and variance,
// z-score). An alert is raised once and stays open, absorbing repeats, until
// its condition clears and it is resolved; ids are derived from the alert's
// identity and raise time, so a replay produces the same ids.
package alert
