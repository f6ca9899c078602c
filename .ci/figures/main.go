// Command figures prints the code-size figures the project tracks: hand-written
// files over 600 lines, functions over 80 lines, functions with cyclomatic
// complexity over 15, and exported identifiers per package. Tests are left out.
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type fn struct {
	where string
	lines int
	cyclo int
}

// tally is what the walk found.
type tally struct {
	fset     *token.FileSet
	bigFiles []string
	fns      []fn
	exported map[string]int
}

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	t := &tally{fset: token.NewFileSet(), exported: map[string]int{}}
	if err := filepath.WalkDir(root, t.visit(root)); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t.print(os.Getenv("VERBOSE") != "")
}

// visit reads every hand-written, non-test Go file below root.
func (t *tally) visit(root string) fs.WalkDirFunc {
	return func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		return t.file(path)
	}
}

// file counts one file's size, functions and exported identifiers.
func (t *tally) file(path string) error {
	f, err := parser.ParseFile(t.fset, path, nil, parser.ParseComments)
	if err != nil || ast.IsGenerated(f) {
		return err
	}
	if n := t.fset.Position(f.End()).Line; n > 600 {
		t.bigFiles = append(t.bigFiles, fmt.Sprintf("%5d %s", n, path))
	}
	pkg := filepath.Dir(path)
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			t.function(path, pkg, d)
		case *ast.GenDecl:
			t.exported[pkg] += exportedSpecs(d)
		}
	}
	return nil
}

func (t *tally) function(path, pkg string, d *ast.FuncDecl) {
	if d.Name.IsExported() && (d.Recv == nil || recvExported(d.Recv)) {
		t.exported[pkg]++
	}
	if d.Body == nil {
		return
	}
	start := t.fset.Position(d.Pos()).Line
	t.fns = append(t.fns, fn{
		where: fmt.Sprintf("%s:%d %s", path, start, name(d)),
		lines: t.fset.Position(d.End()).Line - start + 1, cyclo: cyclo(d),
	})
}

// exportedSpecs counts the exported types, constants and variables of d.
func exportedSpecs(d *ast.GenDecl) int {
	n := 0
	for _, s := range d.Specs {
		switch s := s.(type) {
		case *ast.TypeSpec:
			if s.Name.IsExported() {
				n++
			}
		case *ast.ValueSpec:
			for _, id := range s.Names {
				if id.IsExported() {
					n++
				}
			}
		}
	}
	return n
}

func (t *tally) print(verbose bool) {
	long := t.over(func(f fn) int { return f.lines }, 80)
	complex := t.over(func(f fn) int { return f.cyclo }, 15)
	list("files over 600 lines", t.bigFiles, true)
	list("functions over 80 lines", long, true)
	list("functions over cyclomatic complexity 15", complex, verbose)
	fmt.Println("exported identifiers per package:")
	pkgs := make([]string, 0, len(t.exported))
	for p := range t.exported {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		fmt.Printf("  %4d %s\n", t.exported[p], p)
	}
}

// over lists the functions whose measure exceeds limit, largest first.
func (t *tally) over(measure func(fn) int, limit int) []string {
	var out []string
	for _, f := range t.fns {
		if m := measure(f); m > limit {
			out = append(out, fmt.Sprintf("%5d %s", m, f.where))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

func list(title string, rows []string, show bool) {
	fmt.Printf("%s: %d\n", title, len(rows))
	if !show {
		return
	}
	for _, r := range rows {
		fmt.Println("  " + r)
	}
}

func recvExported(r *ast.FieldList) bool {
	if len(r.List) == 0 {
		return false
	}
	t := r.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if ix, ok := t.(*ast.IndexListExpr); ok {
		t = ix.X
	}
	id, ok := t.(*ast.Ident)
	return ok && id.IsExported()
}

func name(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

// cyclo counts decision points the way gocyclo does: 1 + if, for, range,
// non-default case, comm clause, && and ||.
func cyclo(d *ast.FuncDecl) int {
	c := 1
	ast.Inspect(d.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt:
			c++
		case *ast.CaseClause:
			if n.List != nil {
				c++
			}
		case *ast.CommClause:
			if n.Comm != nil {
				c++
			}
		case *ast.BinaryExpr:
			if n.Op == token.LAND || n.Op == token.LOR {
				c++
			}
		}
		return true
	})
	return c
}
