// Empty on purpose: an assembly file in the package lets the compiler accept
// the body-less declaration that slices.go links to runtime.growslice.
