#!/usr/bin/env bash
# Makes a machine ready to build and run MedSeg; safe to run again (each step checks before it acts).
# On Debian 12 it adds what TorchSharp/OpenCV/ScottPlot need from the system; elsewhere it checks and explains.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

# 1. .NET SDK
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK is not on PATH; install .NET 10 (https://dot.net) and run this again."
sdk=$(dotnet --version)
case "$sdk" in 10.*) say ".NET SDK $sdk found." ;; *) die ".NET SDK $sdk found, but MedSeg needs .NET 10; install it and run this again." ;; esac

os_id=""; os_version=""
if [ -r /etc/os-release ]; then . /etc/os-release; os_id="${ID:-}"; os_version="${VERSION_ID:-}"; fi
is_root() { [ "$(id -u)" = 0 ]; }

# 2. libstdc++ with GLIBCXX_3.4.32 (TorchSharp 0.107's native glue is built with GCC 13).
# (awk reads all of its input: an early exit would kill ldconfig with SIGPIPE and, under pipefail, this script.)
find_libstdcxx() { ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ && !found {found = $NF} END {print found}'; }
libstdcxx=$(find_libstdcxx)
has_glibcxx() { [ -n "$libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; }
if has_glibcxx; then
  say "libstdc++ provides GLIBCXX_3.4.32 ($libstdcxx): nothing to do."
elif [ "$os_id" = debian ] && [ "$os_version" = 12 ] && is_root; then
  mirror=""
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    mirror=$(awk '/^URIs:/ && !m {for (i = 2; i <= NF; i++) if ($i !~ /security/ && !m) m = $i} END {print m}' "$f")
    [ -n "$mirror" ] && break
  done
  if [ -z "$mirror" ] && [ -r /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" && $0 !~ /security/ && !m {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\// && !m) m = $i} END {print m}' /etc/apt/sources.list)
  fi
  [ -n "$mirror" ] || die "no Debian mirror URI found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list; add one and run this again."
  say "libstdc++ lacks GLIBCXX_3.4.32: adding Debian 13 (trixie) from $mirror, pinned to priority 100, for libstdc++6 only."
  cat > /etc/apt/sources.list.d/medseg-trixie.sources <<SRC
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cat > /etc/apt/preferences.d/medseg-trixie <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  say "apt-get update"
  apt-get update -qq
  say "apt-get install -y -t trixie libstdc++6"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6
  libstdcxx=$(find_libstdcxx)
  has_glibcxx || die "libstdc++6 from trixie was installed but GLIBCXX_3.4.32 is still missing in $libstdcxx."
  say "libstdc++ now provides GLIBCXX_3.4.32."
else
  die "libstdc++ ($libstdcxx) lacks GLIBCXX_3.4.32, which TorchSharp needs. Install libstdc++6 from GCC 13 or newer (Ubuntu 24.04+ and Debian 13+ have it; on Debian 12 run this script as root)."
fi

# 3. Shared libraries for OpenCV (GTK3), fonts for ScottPlot's plot text, and a C compiler for the small native
#    library that keeps TorchSharp's temporary scalars alive (src/MedSeg.Torch/Native/scalar_lifetime_shim.c).
need=()
command -v cc >/dev/null 2>&1 || need+=(gcc)
dpkg -s libgtk-3-0 >/dev/null 2>&1 || ldconfig -p | grep 'libgtk-3\.so\.0' >/dev/null || need+=(libgtk-3-0)
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || fc-list 2>/dev/null | grep -i dejavu >/dev/null || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  say "libgtk-3-0, fonts-dejavu-core and a C compiler present: nothing to do."
elif command -v apt-get >/dev/null 2>&1 && is_root; then
  say "apt-get install -y ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
else
  die "missing system packages: ${need[*]} (OpenCV needs GTK3, plots need a font, the scalar-lifetime shim needs a C compiler); install them and run this again."
fi

# 3b. Chromium for the slice viewer's browser tests (driven headless by PuppeteerSharp, which never downloads one).
if command -v chromium >/dev/null 2>&1; then
  say "chromium present ($(command -v chromium)): nothing to do."
elif [ "$os_id" = debian ] && command -v apt-get >/dev/null 2>&1 && is_root; then
  say "apt-get install -y --no-install-recommends chromium (for the viewer's browser tests)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
else
  say "no chromium on PATH: the viewer's browser tests will be skipped; install Chromium (Debian/Ubuntu: apt-get install chromium) or set MEDSEG_CHROMIUM to a Chromium or Chrome executable."
fi

# 3c. DICOM: GDCM's C# binding (libgdcm-cil: gdcm-sharp.dll + libgdcmsharpglue.so, which MedSeg.Dicom copies at build
#     time), GDCM's tools, DCMTK and dcm2niix (the tests write DICOM series with DCMTK and compare with dcm2niix), and
#     the independent checkers of the DICOM-SEG MedSeg writes: dicom3tools' IOD validator dciodvfy and pydicom (~80 MB).
dicom_need=()
[ -f /usr/lib/cli/gdcm-sharp-3.0/gdcm-sharp.dll ] || dicom_need+=(libgdcm-cil)
command -v gdcmraw >/dev/null 2>&1 || dicom_need+=(libgdcm-tools)
command -v dump2dcm >/dev/null 2>&1 || dicom_need+=(dcmtk)
command -v dcm2niix >/dev/null 2>&1 || dicom_need+=(dcm2niix)
command -v dciodvfy >/dev/null 2>&1 || dicom_need+=(dicom3tools)
/usr/bin/python3 -c 'import pydicom' >/dev/null 2>&1 || dicom_need+=(python3-pydicom)
if [ ${#dicom_need[@]} -eq 0 ]; then
  say "GDCM (libgdcm-cil, libgdcm-tools), DCMTK, dcm2niix, dicom3tools and pydicom present: nothing to do."
elif [ "$os_id" = debian ] && command -v apt-get >/dev/null 2>&1 && is_root; then
  say "apt-get install -y --no-install-recommends ${dicom_need[*]} (DICOM input and output, and their checks)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${dicom_need[@]}"
else
  say "warning: ${dicom_need[*]} missing: DICOM input/output needs GDCM's C# binding (Debian: libgdcm-cil; elsewhere build GDCM with its C# wrapping and set GdcmSharpDir), its tests DCMTK, dcm2niix, dicom3tools and pydicom; everything else works without them."
fi

# 4. Restore and build.
say "dotnet build -c Release"
dotnet build MedSeg.slnx -c Release -nologo -v quiet -clp:NoSummary
say "ready: ./medseg --help"
