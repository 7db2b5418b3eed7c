// hclcheck: the first oracle for the Terraform modules that sfc writes.
//
//	hclcheck DIR        check the module in DIR
//	hclcheck -json DIR  print its structure as JSON (for schema.js)
//
// It reads every DIR/*.tf with HashiCorp's own HCL parser (the one Terraform
// uses), so a syntax error here is one Terraform would report too. It then
// checks what Terraform checks before it talks to any provider:
//   - every reference resolves inside the module: var.X needs variable "X",
//     local.X a locals attribute X, data.T.N a data "T" "N", module.N a
//     module "N", and T.N a resource "T" "N" (path.module/root/cwd,
//     terraform.workspace, each, count and self are built in);
//   - nothing is declared twice;
//   - file("${path.module}/NAME") and templatefile("${path.module}/NAME", VARS)
//     name a file that exists in DIR, the template parses, and when VARS is an
//     object literal every variable the template uses is one of its keys.
//
// Problems are printed as FILE:LINE:COL: MESSAGE; the exit status is 1 if
// there was any, 2 on a usage error. With -json only syntax errors are
// reported (and fatal); the JSON format is described in tests/terraform/README.md.
//
// Built offline against Debian's golang-github-hashicorp-hcl-v2-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o BUILD/hclcheck tests/terraform/hclcheck.go
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Arguments and blocks that Terraform itself handles in resource, data and
// module blocks; the provider's schema does not list them.
var metaAttrs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true, "providers": true}
var metaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}

type problem struct {
	rng hcl.Range
	msg string
}

type checker struct {
	dir      string
	decls    map[string]hcl.Range // "var.X", "local.X", "data.T.N", "resource.T.N", "module.N", "output.N"
	problems []problem
	refs     []refJSON // resolved references to an attribute of a resource or data source
}

func (c *checker) report(rng hcl.Range, format string, args ...interface{}) {
	c.problems = append(c.problems, problem{rng, fmt.Sprintf(format, args...)})
}

func (c *checker) declare(key string, rng hcl.Range) {
	if first, dup := c.decls[key]; dup {
		c.report(rng, "duplicate %s (first declared at %s:%d)", key, first.Filename, first.Start.Line)
		return
	}
	c.decls[key] = rng
}

// declarations records what the module declares.
func (c *checker) declarations(body *hclsyntax.Body) {
	for _, b := range body.Blocks {
		switch {
		case (b.Type == "resource" || b.Type == "data") && len(b.Labels) == 2:
			c.declare(b.Type+"."+b.Labels[0]+"."+b.Labels[1], b.DefRange())
		case (b.Type == "variable" || b.Type == "module" || b.Type == "output") && len(b.Labels) == 1:
			prefix := map[string]string{"variable": "var", "module": "module", "output": "output"}[b.Type]
			c.declare(prefix+"."+b.Labels[0], b.DefRange())
		case b.Type == "locals":
			for _, a := range sortedAttrs(b.Body) {
				c.declare("local."+a.Name, a.NameRange)
			}
		}
	}
}

// step returns the name of the attribute step i of t ("" if it is not one).
func step(t hcl.Traversal, i int) string {
	if i < len(t) {
		if a, ok := t[i].(hcl.TraverseAttr); ok {
			return a.Name
		}
	}
	return ""
}

// resolve checks one reference; extra holds names that are in scope here
// (the iterator of an enclosing dynamic block).
func (c *checker) resolve(t hcl.Traversal, extra map[string]bool) {
	root := t.RootName()
	var key, shown string
	switch root {
	case "var", "local", "module":
		n := step(t, 1)
		key, shown = root+"."+n, root+"."+n
	case "data":
		key = "data." + step(t, 1) + "." + step(t, 2)
		shown = key
	case "path":
		switch step(t, 1) {
		case "module", "root", "cwd":
			return
		}
		c.report(t.SourceRange(), "unresolved reference path.%s", step(t, 1))
		return
	case "terraform":
		if step(t, 1) == "workspace" {
			return
		}
		c.report(t.SourceRange(), "unresolved reference terraform.%s", step(t, 1))
		return
	case "each", "count", "self":
		return
	default:
		if extra[root] {
			return
		}
		key = "resource." + root + "." + step(t, 1)
		shown = root + "." + step(t, 1)
	}
	if strings.HasSuffix(key, ".") || strings.Contains(key, "..") {
		c.report(t.SourceRange(), "unresolved reference %s (incomplete)", strings.TrimSuffix(shown, "."))
		return
	}
	if _, ok := c.decls[key]; !ok {
		c.report(t.SourceRange(), "unresolved reference %s", shown)
		return
	}
	// T.N.attr, T.N[0].attr, data.T.N["k"].attr: remember attr for schema.js
	i := 2
	if root == "data" {
		i = 3
	} else if !strings.HasPrefix(key, "resource.") {
		return
	}
	for i < len(t) {
		if _, isIndex := t[i].(hcl.TraverseIndex); !isIndex {
			break
		}
		i++
	}
	if attr := step(t, i); attr != "" {
		rng := t.SourceRange()
		c.refs = append(c.refs, refJSON{rng.Filename, rng.Start.Line, shown, attr})
	}
}

// body checks every attribute in body and, recursively, in its blocks.
// top is the enclosing top-level block type ("resource", "variable", ...),
// or "lifecycle" inside one; dynamic is set for the body of a dynamic block.
func (c *checker) body(body *hclsyntax.Body, top string, extra map[string]bool, dynamic bool) {
	for _, a := range sortedAttrs(body) {
		switch {
		case top == "variable" && a.Name == "type", // a type constraint, not an expression
			top == "lifecycle" && a.Name == "ignore_changes", // names of this resource's attributes
			dynamic && a.Name == "iterator",                  // names a new symbol
			(top == "resource" || top == "data" || top == "module") && (a.Name == "provider" || a.Name == "providers"):
			continue
		}
		for _, t := range a.Expr.Variables() {
			c.resolve(t, extra)
		}
		c.fileCalls(a.Expr)
	}
	for _, b := range body.Blocks {
		inner, scope, isDynamic := top, extra, b.Type == "dynamic" && len(b.Labels) == 1
		if b.Type == "lifecycle" {
			inner = "lifecycle"
		}
		if isDynamic {
			// dynamic "X" { for_each = ..., iterator = I, content { ... X.value or I.value ... } }
			scope = map[string]bool{b.Labels[0]: true}
			for k := range extra {
				scope[k] = true
			}
			if it, ok := b.Body.Attributes["iterator"]; ok {
				scope[hcl.ExprAsKeyword(it.Expr)] = true
			}
		}
		c.body(b.Body, inner, scope, isDynamic)
	}
}

// modulePath returns NAME if expr is exactly "${path.module}/NAME".
func modulePath(expr hclsyntax.Expression) (string, bool) {
	tmpl, ok := expr.(*hclsyntax.TemplateExpr)
	if !ok || len(tmpl.Parts) != 2 {
		return "", false
	}
	ref, ok := tmpl.Parts[0].(*hclsyntax.ScopeTraversalExpr)
	if !ok || ref.Traversal.RootName() != "path" || step(ref.Traversal, 1) != "module" || len(ref.Traversal) != 2 {
		return "", false
	}
	lit, ok := tmpl.Parts[1].(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.Type() != cty.String || !strings.HasPrefix(lit.Val.AsString(), "/") {
		return "", false
	}
	return strings.TrimPrefix(lit.Val.AsString(), "/"), true
}

// objectKeys returns the keys of an object literal, or ok=false when expr is
// not one or has a key that is not a constant.
func objectKeys(expr hclsyntax.Expression) (map[string]bool, bool) {
	obj, ok := expr.(*hclsyntax.ObjectConsExpr)
	if !ok {
		return nil, false
	}
	keys := map[string]bool{}
	for _, item := range obj.Items {
		if kw := hcl.ExprAsKeyword(item.KeyExpr); kw != "" {
			keys[kw] = true
			continue
		}
		v, diags := item.KeyExpr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.Type() != cty.String {
			return nil, false
		}
		keys[v.AsString()] = true
	}
	return keys, true
}

// fileCalls checks the file() and templatefile() calls inside expr.
func (c *checker) fileCalls(expr hclsyntax.Expression) {
	hclsyntax.VisitAll(expr, func(n hclsyntax.Node) hcl.Diagnostics {
		call, ok := n.(*hclsyntax.FunctionCallExpr)
		if !ok || (call.Name != "file" && call.Name != "templatefile") || len(call.Args) == 0 {
			return nil
		}
		name, ok := modulePath(call.Args[0])
		if !ok {
			// A path relative to the working directory breaks as soon as the
			// module is used from elsewhere; a self-contained module names
			// its own files through path.module.
			if v, diags := call.Args[0].Value(nil); !diags.HasErrors() && v.Type() == cty.String {
				c.report(call.Args[0].Range(), "%s(%q): path is not \"${path.module}/...\"", call.Name, v.AsString())
			}
			return nil
		}
		file := filepath.Join(c.dir, filepath.FromSlash(name))
		src, err := os.ReadFile(file)
		if err != nil {
			c.report(call.Args[0].Range(), "%s(): file %s not found in the module", call.Name, name)
			return nil
		}
		if call.Name != "templatefile" {
			return nil
		}
		tmpl, diags := hclsyntax.ParseTemplate(src, file, hcl.Pos{Line: 1, Column: 1, Byte: 0})
		for _, d := range diags {
			c.problems = append(c.problems, diagProblem(d))
		}
		if diags.HasErrors() || len(call.Args) < 2 {
			return nil
		}
		keys, ok := objectKeys(call.Args[1])
		if !ok {
			return nil
		}
		for _, t := range tmpl.Variables() {
			if !keys[t.RootName()] {
				c.report(t.SourceRange(), "template variable %s is not among the templatefile() vars at %s:%d",
					t.RootName(), call.Range().Filename, call.Range().Start.Line)
			}
		}
		return nil
	})
}

func diagProblem(d *hcl.Diagnostic) problem {
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	if d.Subject == nil {
		return problem{hcl.Range{}, msg}
	}
	return problem{*d.Subject, msg}
}

func sortedAttrs(body *hclsyntax.Body) []*hclsyntax.Attribute {
	var attrs []*hclsyntax.Attribute
	for _, a := range body.Attributes {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
	return attrs
}

// ---- -json ----

type blockJSON struct {
	Type           string         `json:"type"`
	Name           string         `json:"name,omitempty"`
	File           string         `json:"file,omitempty"`
	Line           int            `json:"line"`
	Dynamic        bool           `json:"dynamic,omitempty"`
	Attributes     []string       `json:"attributes"`
	AttributeLines map[string]int `json:"attribute_lines"`
	Blocks         []*blockJSON   `json:"blocks"`
	Meta           []string       `json:"meta,omitempty"`
}

type refJSON struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Ref       string `json:"ref"`       // "aws_x.name" or "data.aws_x.name"
	Attribute string `json:"attribute"` // the attribute read from it
}

type moduleJSON struct {
	Resources  []*blockJSON `json:"resources"`
	Data       []*blockJSON `json:"data"`
	Providers  []*blockJSON `json:"providers"`
	Variables  []string     `json:"variables"`
	Locals     []string     `json:"locals"`
	Outputs    []string     `json:"outputs"`
	References []refJSON    `json:"references"`
}

// structure describes body; at the top of a resource or data block the
// meta-arguments go to Meta instead of Attributes/Blocks.
func structure(out *blockJSON, body *hclsyntax.Body, top bool) {
	out.Attributes, out.Blocks, out.AttributeLines = []string{}, []*blockJSON{}, map[string]int{}
	for _, a := range sortedAttrs(body) {
		if top && metaAttrs[a.Name] {
			out.Meta = append(out.Meta, a.Name)
			continue
		}
		out.Attributes = append(out.Attributes, a.Name)
		out.AttributeLines[a.Name] = a.SrcRange.Start.Line
	}
	for _, b := range body.Blocks {
		if top && metaBlocks[b.Type] {
			out.Meta = append(out.Meta, b.Type)
			continue
		}
		nb := &blockJSON{Type: b.Type, Line: b.TypeRange.Start.Line}
		inner := b.Body
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			// dynamic "X" { for_each = ...  content { ... } } stands for X blocks
			nb.Type, nb.Dynamic, inner = b.Labels[0], true, &hclsyntax.Body{Attributes: hclsyntax.Attributes{}}
			for _, cb := range b.Body.Blocks {
				if cb.Type == "content" {
					inner = cb.Body
				}
			}
		}
		structure(nb, inner, false)
		out.Blocks = append(out.Blocks, nb)
	}
}

func dumpJSON(files []string, bodies []*hclsyntax.Body, refs []refJSON) {
	if refs == nil {
		refs = []refJSON{}
	}
	m := moduleJSON{[]*blockJSON{}, []*blockJSON{}, []*blockJSON{}, []string{}, []string{}, []string{}, refs}
	for i, body := range bodies {
		for _, b := range body.Blocks {
			switch {
			case (b.Type == "resource" || b.Type == "data") && len(b.Labels) == 2:
				nb := &blockJSON{Type: b.Labels[0], Name: b.Labels[1], File: files[i], Line: b.TypeRange.Start.Line}
				structure(nb, b.Body, true)
				if b.Type == "resource" {
					m.Resources = append(m.Resources, nb)
				} else {
					m.Data = append(m.Data, nb)
				}
			case b.Type == "provider" && len(b.Labels) == 1:
				nb := &blockJSON{Type: b.Labels[0], File: files[i], Line: b.TypeRange.Start.Line}
				structure(nb, b.Body, false)
				if _, ok := nb.AttributeLines["alias"]; ok {
					nb.Meta = []string{"alias"}
				}
				m.Providers = append(m.Providers, nb)
			case b.Type == "variable" && len(b.Labels) == 1:
				m.Variables = append(m.Variables, b.Labels[0])
			case b.Type == "output" && len(b.Labels) == 1:
				m.Outputs = append(m.Outputs, b.Labels[0])
			case b.Type == "locals":
				for _, a := range sortedAttrs(b.Body) {
					m.Locals = append(m.Locals, a.Name)
				}
			}
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(m); err != nil {
		fmt.Fprintln(os.Stderr, "hclcheck:", err)
		os.Exit(2)
	}
}

func main() {
	args := os.Args[1:]
	asJSON := len(args) > 0 && args[0] == "-json"
	if asJSON {
		args = args[1:]
	}
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: hclcheck [-json] DIR")
		os.Exit(2)
	}
	dir := args[0]
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	sort.Strings(files)
	if len(files) == 0 {
		fmt.Fprintf(os.Stderr, "%s: no .tf files\n", dir)
		os.Exit(1)
	}

	c := &checker{dir: dir, decls: map[string]hcl.Range{}}
	parser := hclparse.NewParser()
	var bodies []*hclsyntax.Body
	for _, f := range files {
		file, diags := parser.ParseHCLFile(f)
		for _, d := range diags {
			c.problems = append(c.problems, diagProblem(d))
		}
		if file != nil && !diags.HasErrors() {
			bodies = append(bodies, file.Body.(*hclsyntax.Body))
		}
	}
	if len(c.problems) == 0 {
		for _, body := range bodies {
			c.declarations(body)
		}
		for _, body := range bodies {
			for _, b := range body.Blocks {
				c.body(b.Body, b.Type, nil, false)
			}
		}
		if asJSON {
			// the problems found are for hclcheck without -json to report
			dumpJSON(files, bodies, c.refs)
			return
		}
	}
	out := os.Stdout
	if asJSON {
		out = os.Stderr // stdout is for the JSON
	}
	for _, p := range c.problems {
		if p.rng.Filename == "" {
			fmt.Fprintf(out, "%s: %s\n", dir, p.msg)
		} else {
			fmt.Fprintf(out, "%s:%d:%d: %s\n", p.rng.Filename, p.rng.Start.Line, p.rng.Start.Column, p.msg)
		}
	}
	if len(c.problems) > 0 {
		os.Exit(1)
	}
}
