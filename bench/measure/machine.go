package measure

import (
	"cmp"
	"fmt"
	"os"
	"runtime"
	"strings"
)

// Machine describes where figures were measured (CPU model, cores, Go,
// platform), for the reports of polbench and polsoak: figures from
// different machines are not compared.
func Machine() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				model = strings.TrimSpace(l[strings.IndexByte(l, ':')+1:])
				break
			}
		}
	}
	return fmt.Sprintf("%s, %d CPUs, %s, %s/%s", cmp.Or(model, "unknown CPU"), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
