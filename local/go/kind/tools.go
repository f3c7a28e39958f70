//go:build tools

// Package tools records the module this one downloads so `go mod tidy` keeps it and its go.sum lines.
package tools

import _ "sigs.k8s.io/kind"
