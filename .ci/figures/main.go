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

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	verbose := os.Getenv("VERBOSE") != ""
	fset := token.NewFileSet()
	var bigFiles []string
	var fns []fn
	exported := map[string]int{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
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
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		if n := fset.Position(f.End()).Line; n > 600 {
			bigFiles = append(bigFiles, fmt.Sprintf("%5d %s", n, path))
		}
		pkg := filepath.Dir(path)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && (d.Recv == nil || recvExported(d.Recv)) {
					exported[pkg]++
				}
				if d.Body == nil {
					continue
				}
				lines := fset.Position(d.End()).Line - fset.Position(d.Pos()).Line + 1
				fns = append(fns, fn{
					where: fmt.Sprintf("%s:%d %s", path, fset.Position(d.Pos()).Line, name(d)),
					lines: lines, cyclo: cyclo(d),
				})
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() {
							exported[pkg]++
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() {
								exported[pkg]++
							}
						}
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	long, complex := 0, 0
	var longList, complexList []string
	for _, f := range fns {
		if f.lines > 80 {
			long++
			longList = append(longList, fmt.Sprintf("%5d %s", f.lines, f.where))
		}
		if f.cyclo > 15 {
			complex++
			complexList = append(complexList, fmt.Sprintf("%5d %s", f.cyclo, f.where))
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(longList)))
	sort.Sort(sort.Reverse(sort.StringSlice(complexList)))
	fmt.Printf("files over 600 lines: %d\n", len(bigFiles))
	for _, s := range bigFiles {
		fmt.Println("  " + s)
	}
	fmt.Printf("functions over 80 lines: %d\n", long)
	for _, s := range longList {
		fmt.Println("  " + s)
	}
	fmt.Printf("functions over cyclomatic complexity 15: %d\n", complex)
	if verbose {
		for _, s := range complexList {
			fmt.Println("  " + s)
		}
	}
	fmt.Println("exported identifiers per package:")
	var pkgs []string
	for p := range exported {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, p := range pkgs {
		fmt.Printf("  %4d %s\n", exported[p], p)
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
