# Sourced by ./medseg and scripts/test.sh: runtime settings every MedSeg process should run with.
# TorchSharp 0.107 passes temporary Scalars to libtorch that a garbage collection on another thread can free
# mid-call (README: Using the library). On Linux x64 the scalar-lifetime shim prevents it; elsewhere MedSeg's own
# BatchNorm and optimizers hold their scalars, and a 64 MB first-generation budget makes collections rarer (504 MB of
# allocations: 30 → 3). The .NET runtime reads this setting from the environment only.
export DOTNET_GCgen0size="${DOTNET_GCgen0size:-0x4000000}"
