package k8stest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// PromNamesFile is platform/pipelinemetrics/promname's source, relative to
// this package: the names the services' pipeline metrics have on /metrics.
const PromNamesFile = "../../platform/pipelinemetrics/promname/promname.go"

// PromNames are the Prometheus names the platform declares, by type.
type PromNames struct {
	Counters, Histograms []string
}

// ReadPromNames reads promname's typed constants (Counter, Histogram) from
// its Go source. Reading the source rather than importing the package keeps
// the deploy module free of the platform's dependencies; a constant that is
// not a string literal is an error, not a silently missing name.
func ReadPromNames(path string) (PromNames, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
	if err != nil {
		return PromNames{}, err
	}
	var p PromNames
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			if err := p.add(spec.(*ast.ValueSpec)); err != nil {
				return PromNames{}, fmt.Errorf("%s: %w", path, err)
			}
		}
	}
	if len(p.Counters)+len(p.Histograms) == 0 {
		return PromNames{}, fmt.Errorf("%s declares no Counter or Histogram constant", path)
	}
	return p, nil
}

func (p *PromNames) add(vs *ast.ValueSpec) error {
	typ, _ := vs.Type.(*ast.Ident)
	if typ == nil || (typ.Name != "Counter" && typ.Name != "Histogram") {
		return nil
	}
	for i, name := range vs.Names {
		var lit *ast.BasicLit
		if i < len(vs.Values) {
			lit, _ = vs.Values[i].(*ast.BasicLit)
		}
		if lit == nil || lit.Kind != token.STRING {
			return fmt.Errorf("%s %s is not a string literal", typ.Name, name.Name)
		}
		v, err := strconv.Unquote(lit.Value)
		if err != nil {
			return err
		}
		if typ.Name == "Counter" {
			p.Counters = append(p.Counters, v)
		} else {
			p.Histograms = append(p.Histograms, v)
		}
	}
	return nil
}

// Defines reports whether series is a declared counter or one of a declared
// histogram's _bucket, _sum and _count series.
func (p PromNames) Defines(series string) bool {
	if slices.Contains(p.Counters, series) {
		return true
	}
	for _, h := range p.Histograms {
		if suffix, ok := strings.CutPrefix(series, h); ok && slices.Contains([]string{"_bucket", "_sum", "_count"}, suffix) {
			return true
		}
	}
	return false
}

// bluestreamSeries matches the bluestream_ series a PromQL query reads.
var bluestreamSeries = regexp.MustCompile(`\bbluestream_[a-zA-Z0-9_:]+`)

// QueriedSeries lists, by AnalysisTemplate, the bluestream_ series its
// Prometheus queries read.
func QueriedSeries(objs []Object) map[string][]string {
	out := map[string][]string{}
	for _, o := range objs {
		if o.Kind() != "AnalysisTemplate" {
			continue
		}
		metrics, _ := get(o, "spec", "metrics").([]any)
		for _, m := range metrics {
			q, _ := get(m, "provider", "prometheus", "query").(string)
			for _, s := range bluestreamSeries.FindAllString(q, -1) {
				if !slices.Contains(out[o.ID()], s) {
					out[o.ID()] = append(out[o.ID()], s)
				}
			}
		}
	}
	return out
}

// CheckQueriedSeries names every bluestream_ series an AnalysisTemplate
// queries that the platform does not define: a query Prometheus answers with
// nothing, so the canary check judges no data.
func CheckQueriedSeries(objs []Object, names PromNames) []string {
	var errs []string
	for id, series := range QueriedSeries(objs) {
		for _, s := range series {
			if !names.Defines(s) {
				errs = append(errs, fmt.Sprintf("%s queries %s, which platform/pipelinemetrics/promname does not define", id, s))
			}
		}
	}
	slices.Sort(errs)
	return errs
}
