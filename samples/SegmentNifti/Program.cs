using MedSeg.Core.Inference;
using MedSeg.Torch.Inference;

// Segments a NIfTI file (or a folder of them) with a MedSeg run folder or model bundle, through the library alone:
//   dotnet run --project samples/SegmentNifti -- MODEL IMAGE.nii.gz OUTDIR [onnx]
// OUTDIR/CASE.nii.gz is the label map on the image's own grid (0 = background, k = the model's k-th class).
if (args.Length is < 3 or > 4)
{
    Console.Error.WriteLine("usage: SegmentNifti MODEL(run folder or bundle .zip) IMAGE(.nii/.nii.gz or folder) OUTDIR [onnx]");
    return 2;
}
var (model, image, output) = (args[0], args[1], args[2]);
var options = new PredictOptions(Backend: args.Length == 4 ? args[3] : "torch");
var result = LabelMapPredictor.Predict([model], weights: null, image, output, options, deviceName: "cpu",
    progress: (done, total, id) => Console.WriteLine($"{done}/{total} {id}"));
Console.WriteLine($"{result.Cases} label map(s) in {result.OutputFolder}");
return 0;
