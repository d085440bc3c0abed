# Sourced by ./medseg and scripts/test.sh: runtime settings every MedSeg process should run with.
# TorchSharp 0.107 passes temporary Scalars to libtorch that a garbage collection on another thread can free
# mid-call (DEPENDENCIES.md). MedSeg keeps its hot-path scalars alive; a 64 MB first-generation budget also makes
# collections about ten times rarer. The .NET runtime reads this setting from the environment only.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"
