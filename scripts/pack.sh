#!/usr/bin/env bash
# Packs MedSeg.Core, MedSeg.Torch, MedSeg.Onnx and the medseg dotnet tool into out/packages (after a Release build: scripts/setup.sh),
# then uses them as a stranger would, outside this repository: installs the tool from that folder and trains a tiny
# model with it, and builds and runs samples/SegmentNifti's program against the library packages on both backends.
# Usage: scripts/pack.sh [--no-check]     (--no-check: only pack)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
packages="$root/out/packages"
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
say() { echo "pack: $*"; }

rm -rf "$packages"
for project in src/MedSeg.Core/MedSeg.Core.csproj src/MedSeg.Torch/MedSeg.Torch.csproj src/MedSeg.Onnx/MedSeg.Onnx.csproj src/MedSeg.Cli/MedSeg.Cli.csproj; do
  say "dotnet pack $project"
  dotnet pack "$project" -c Release --no-build -o "$packages" -nologo -v quiet
done
for package in "$packages"/*.nupkg; do
  say "$(basename "$package"): $(( $(stat -c %s "$package") / 1024 )) KiB"
done
[ "${1:-}" = "--no-check" ] && exit 0

work=$(mktemp -d "${TMPDIR:-/tmp}/medseg-pack-check.XXXXXX")
# NuGet caches a package by id and version: drop this version's copies before (so the check sees these packages)
# and after (the tool's copy is 0.8 GB).
forget() { for id in medseg medseg.core medseg.torch medseg.onnx; do rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/$id/$version"; done; }
forget
trap 'rm -rf "$work"; forget' EXIT
# Runs a command quietly; on failure shows its output and stops.
quiet() {
  if ! "$@" >"$work/log" 2>&1; then
    cat "$work/log" >&2
    echo "pack: error: '$*' failed (above)" >&2
    exit 1
  fi
}
cat > "$work/nuget.config" <<EOF
<configuration>
  <packageSources>
    <add key="medseg-local" value="$packages" />
  </packageSources>
</configuration>
EOF

say "dotnet tool install medseg $version (from $packages)"
quiet dotnet tool install medseg --version "$version" --tool-path "$work/tool" --configfile "$work/nuget.config"
source scripts/runtime-env.sh
"$work/tool/medseg" info | head -n 3
say "medseg (the installed tool) trains a tiny model"
quiet "$work/tool/medseg" synth --layout nnunet --out "$work/raw" --cases 2 --days 1 --slices 6 --size 48x40 --seed 2
dataset=$(find "$work/raw" -mindepth 1 -maxdepth 1 -type d | head -n 1)
quiet "$work/tool/medseg" train --data "$dataset" --out "$work/run" --encoder resnet18 --image-size 32x32 --epochs 1 --batch-size 4

say "samples/SegmentNifti built against MedSeg.Torch $version from the package"
mkdir "$work/sample"
cp samples/SegmentNifti/Program.cs "$work/sample/"
cat > "$work/sample/SegmentNifti.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <Nullable>enable</Nullable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MedSeg.Torch" Version="$version" />
  </ItemGroup>
</Project>
EOF
# The folder's nuget.config adds the local packages to the machine's own sources (TorchSharp and the rest).
cp "$work/nuget.config" "$work/sample/"
quiet dotnet build "$work/sample/SegmentNifti.csproj" -c Release -nologo -v quiet -clp:NoSummary -o "$work/sample/bin"
image=$(find "$dataset/imagesTr" -name '*_0000.nii.gz' | sort | head -n 1)
for backend in torch onnx; do
  dotnet "$work/sample/bin/SegmentNifti.dll" "$work/run" "$image" "$work/labels-$backend" "$backend" | tail -n 1
  [ -n "$(find "$work/labels-$backend" -name '*.nii.gz')" ] || { echo "pack: error: the packaged sample wrote no label map ($backend)" >&2; exit 1; }
done
say "ok: the tool and the library packages work from $packages"
