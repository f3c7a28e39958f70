//go:build ignore

// Command kind-config-check reads a kind cluster configuration exactly as `kind create cluster
// --config FILE` does before it provisions anything: kind's own loader (apiVersion and kind
// detection, a strict decode into v1alpha4.Cluster that refuses unknown fields, v1alpha4 defaults,
// conversion to the internal config) and then kind's own validation of that config. Both live in
// kind's internal packages, and its only public entry to them (cluster.CreateWithConfigFile) is
// applied inside Provider.Create, which goes on to create the cluster. So local/lib/tools.sh copies
// this file into a copy of kind's module, under sigs.k8s.io/kind/pkg, where it may import them, and
// builds it there with kind's own go.mod and go.sum. The ignore constraint keeps it out of the
// wrapper module, which cannot import them.
//
// It exits 0 and prints the config as kind understood it (JSON, kind's field names), or exits 1
// naming the file and the problem.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"sigs.k8s.io/kind/pkg/internal/apis/config/encoding"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] == "" {
		fmt.Fprintln(os.Stderr, "usage: kind-config-check FILE")
		os.Exit(2)
	}
	path := os.Args[1]
	config, err := encoding.Load(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
		os.Exit(1)
	}
	if err := config.Validate(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: invalid kind configuration: %v\n", path, err)
		os.Exit(1)
	}
	out, err := json.Marshal(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
		os.Exit(1)
	}
	fmt.Println(string(out))
}
