package status

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/bluestream/bluestream/services/mirror-health/internal/mm2"
)

// AllowList holds the source topics that may be mirrored. Entries are regular
// expressions matched against the whole name, as in MirrorMaker 2's
// "topics" setting, so a plain topic name matches only itself (its dots match
// any character, which is harmless for names that only differ elsewhere).
type AllowList struct {
	patterns []*regexp.Regexp
}

// NewAllowList compiles the patterns, naming the first invalid one.
func NewAllowList(patterns ...string) (AllowList, error) {
	var a AllowList
	for i, p := range patterns {
		re, err := regexp.Compile(`^(?:` + p + `)$`)
		if err != nil {
			return AllowList{}, fmt.Errorf("allow_list[%d] %q: %w", i, p, err)
		}
		a.patterns = append(a.patterns, re)
	}
	return a, nil
}

// Allows reports whether the source topic may be mirrored.
func (a AllowList) Allows(topic string) bool {
	return slices.ContainsFunc(a.patterns, func(re *regexp.Regexp) bool { return re.MatchString(topic) })
}

// Guard is the compliance rule set for one replication flow.
type Guard struct {
	// SourceAlias is the source cluster's alias, the remote topics' prefix.
	SourceAlias string
	// Allow lists the source topics that may appear on the target.
	Allow AllowList
	// Sensitive names source topics holding personal data that must never
	// reach the target under any name, prefixed or not.
	Sensitive []string
}

// Violation is a compliance alert: a topic on the target that should not be
// there.
type Violation struct {
	// TargetTopic is the offending topic as named on the target.
	TargetTopic string
	// SourceTopic is the source topic it was presumably copied from.
	SourceTopic string
	Rule        Rule
	Reason      string
}

// Check lists the target topics that break the guard, in input order.
func (g Guard) Check(targetTopics []string) []Violation {
	var out []Violation
	for _, t := range targetTopics {
		if v, bad := g.check(t); bad {
			out = append(out, v)
		}
	}
	return out
}

// dlqSuffix ends a dead-letter topic's name. The target's consumers keep
// their own DLQs beside the remote topics ("azure.ble.enriched.v1.dlq"):
// they hold records of the topic they are named after, so they are judged
// as that topic.
const dlqSuffix = ".dlq"

func (g Guard) check(target string) (Violation, bool) {
	upstream := target
	alias, topic, remote := mm2.SplitRemoteTopic(target)
	if remote && alias == g.SourceAlias {
		upstream = topic
	}
	base := strings.TrimSuffix(upstream, dlqSuffix)
	if slices.Contains(g.Sensitive, upstream) || slices.Contains(g.Sensitive, base) {
		return Violation{TargetTopic: target, SourceTopic: upstream, Rule: RuleSensitiveTopic,
			Reason: fmt.Sprintf("%s holds personal data and must stay on the source cluster", upstream)}, true
	}
	if !remote || alias != g.SourceAlias || upstream == mm2.HeartbeatsTopic || mm2.IsInternalTopic(upstream) {
		return Violation{}, false
	}
	if g.Allow.Allows(upstream) || g.Allow.Allows(base) {
		return Violation{}, false
	}
	return Violation{TargetTopic: target, SourceTopic: upstream, Rule: RuleTopicNotAllowListed,
		Reason: fmt.Sprintf("%s is mirrored from %s but not on the mirroring allow-list", target, g.SourceAlias)}, true
}
