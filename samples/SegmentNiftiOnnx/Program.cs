using MedSeg.Core.Inference;
using MedSeg.Onnx;

// Segments a NIfTI file (or a folder of them) with a MedSeg model bundle (or exported .onnx) on ONNX Runtime, no libtorch:
//   dotnet run --project samples/SegmentNiftiOnnx -- MODEL.zip IMAGE.nii.gz OUTDIR
// OUTDIR/CASE.nii.gz is the label map on the image's own grid (0 = background, k = the model's k-th class).
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: SegmentNiftiOnnx MODEL(bundle .zip or .onnx) IMAGE(.nii/.nii.gz or folder) OUTDIR");
    return 2;
}
var result = OnnxLabelMapPredictor.Predict([args[0]], weights: null, args[1], args[2], new PredictOptions(),
    progress: (done, total, id) => Console.WriteLine($"{done}/{total} {id}"));
Console.WriteLine($"{result.Cases} label map(s) in {result.OutputFolder}");
// What this process mapped: the proof that no libtorch (or TorchSharp's native library) was loaded.
var maps = File.Exists("/proc/self/maps") ? File.ReadAllText("/proc/self/maps") : "";
Console.WriteLine($"libtorch loaded: {(maps.Contains("libtorch", StringComparison.Ordinal) || maps.Contains("LibTorchSharp", StringComparison.Ordinal) ? "yes" : "no")}");
return 0;
