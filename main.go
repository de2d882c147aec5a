// Command anxin runs Anxin (安心), the welfare and benefits system of a
// county political-legal committee for its officers: `anxin serve all`
// runs every service in one process, `anxin serve <service>` one of them.
package main

import (
	"os"
	_ "time/tzdata" // Asia/Shanghai must be known on a bare host

	"github.com/anxin-welfare/anxin/internal/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:], os.Stdout, os.Stderr))
}
