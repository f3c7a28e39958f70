// The pod sandbox's pause program: it holds a pod's namespaces open, sleeping until it is told
// to stop, and reaps the orphans the pod's processes leave behind while it runs as their init.
module msa-ecommerce/local/pause

go 1.25.0
