using MedSeg.Core.Inference;
using System.CommandLine;
using System.Globalization;
using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Sharding;
using MedSeg.Onnx;
using MedSeg.Torch.Inference;

namespace MedSeg.Cli.Commands;

/// <summary>
/// <c>medseg predict</c>: segments a dataset with one run or an ensemble and writes a submission CSV (UW-Madison
/// layout), a folder of NIfTI label maps (nnU-Net layout) or a folder of index PNGs (folder datasets, plain folders of images).
/// </summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Run folder written by 'medseg train' (repeat for an ensemble), a model bundle (.zip) or exported model (.onnx) from 'medseg export', or an ensemble file from 'medseg tune --out'.", Required = true, Arity = ArgumentArity.OneOrMore };
        var data = new Option<string>("--data") { Description = "What to segment: a UW-Madison folder (train/ with train.csv, or test/), an nnU-Net dataset (dataset.json; predicts imagesTs, else imagesTr), a NIfTI file (.nii/.nii.gz; CASE_0000 brings CASE_0001... as further channels), a folder of NIfTI files (CASE_NNNN files are the channels of CASE), DICOM (a folder of series, searched recursively, one case per series; or one file of a series), a folder dataset (images/; or test/, else val/, else train/ of a split one) or a plain folder of images.", Required = true };
        var output = new Option<string>("--out") { Description = "Submission file to write (.csv: id,class,predicted); for NIfTI input a new folder of CASE.nii.gz label maps (on each image's grid and affine); for folder data a new folder of STEM.png index maps.", Required = true };
        var tta = new Option<string>("--tta") { Description = "Test-time views averaged in probability space: auto (only the flips / quarter turns the run was trained with), none, flip (horizontal), rot90 (four quarter turns) or all (eight flips and turns).", DefaultValueFactory = _ => "auto" };
        var threshold = new Option<string?>("--threshold") { Description = "Foreground probability threshold, one value or one per class t1,t2,... [default: the first run's, else 0.5]." };
        var floor = new Option<double?>("--floor") { Description = "Drop a class from a slice when its highest probability there is below this (e.g. 0.5)." };
        var minComponent = new Option<int>("--min-component") { Description = "Remove connected components smaller than N voxels (per case-day in 3D, or per slice with --components-2d).", DefaultValueFactory = _ => 0 };
        var keepLargest = new Option<bool>("--keep-largest") { Description = "Keep only the largest connected component of each class." };
        var validatedPostProcess = new Option<string>("--postprocess") { Description = "auto: also keep only the largest component of the classes where that raised the first run's validation Dice (RUN/postprocessing.json, written by training with a held-out fold; none for runs trained without one); none: only the clean-up options given here.", DefaultValueFactory = _ => "auto" };
        var fillHoles = new Option<bool>("--fill-holes") { Description = "Fill enclosed holes in each class mask." };
        var sliceRun = new Option<int?>("--slice-range") { Description = "Keep only the longest run of slices with the class, bridging gaps of up to N empty slices." };
        var connectivity = new Option<string>("--connectivity") { Description = "Component connectivity: full (8/26) or faces (4/6).", DefaultValueFactory = _ => "full" };
        var components2d = new Option<bool>("--components-2d") { Description = "Components and holes per slice instead of across the slice stack." };
        var weights = new Option<string?>("--weights") { Description = "Ensemble weights w1,w2,... one per --model [default: equal]." };
        var minPixels = new Option<int?>("--min-pixels") { Description = "Drop a class from a slice when fewer pixels are predicted; 0 = never [default: the run's tuned.json, else 0]." };
        var saveProbabilities = new Option<string?>("--save-probabilities") { Description = "Folder for each case-day's probabilities (CASEDAY.npy, float16, classes×slices×H×W)." };
        var overlays = new Option<string?>("--overlays") { Description = "Folder for PNG overlays of every slice with a prediction." };
        var batchSize = new Option<int>("--batch-size") { Description = "Slices (or 3D windows) per forward pass.", DefaultValueFactory = _ => 8 };
        var overlap = new Option<double>("--overlap") { Description = "3D runs: fraction by which neighbouring sliding windows overlap, in [0, 1).", DefaultValueFactory = _ => 0.5 };
        var blend = new Option<string>("--blend") { Description = "3D runs: how overlapping windows are weighted, gaussian (sigma = window/8) or constant.", DefaultValueFactory = _ => "gaussian" };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var backend = new Option<string>("--backend") { Description = "What computes the networks: torch (TorchSharp) or onnx (ONNX Runtime on the exported graphs, CPU; with bundles or .onnx models as every --model and --gate, every output runs without libtorch: UW-Madison submissions, NIfTI and DICOM-SEG label maps and PNG index maps of folder data, sharded or not; run folders and ensemble files as --model still load it to read the weights).", DefaultValueFactory = _ => "torch" };
        var gate = new Option<string?>("--gate") { Description = "Classification run (medseg train --arch classifier), or its bundle (.zip) from 'medseg export' (with --backend onnx also its .onnx export): a class it calls absent on a slice is emptied there." };
        var format = new Option<string>("--format") { Description = "Label maps of NIfTI or DICOM input: nifti (CASE.nii.gz on the image's grid) or dicom-seg (CASE.dcm, a binary DICOM Segmentation referencing the source series; DICOM input only).", DefaultValueFactory = _ => "nifti" };
        var sample = new Option<string?>("--sample-submission") { Description = "Kaggle sample_submission.csv: write the rows in its order (one per sample row)." };
        var shard = new Option<string?>("--shard") { Description = "I/N: predict only shard I of N (0 <= I < N; cases balanced by slice count) into a partial output with its record OUT.shard.json; 'medseg merge' combines the N parts. A rerun of a finished shard does nothing." };
        var command = new Command("predict", "Predict masks for every slice of a dataset and write a Kaggle submission CSV.")
        {
            models, data, output, tta, threshold, floor, weights, minPixels, minComponent, keepLargest, validatedPostProcess, fillHoles, sliceRun, connectivity,
            components2d, saveProbabilities, overlays, batchSize, overlap, blend, device, backend, gate, sample, format, shard,
        };
        command.SetAction(parsed =>
        {
            var postProcess = new PostProcessOptions
            {
                MinPixels = parsed.GetValue(minPixels),
                MinComponent = parsed.GetValue(minComponent),
                KeepLargest = parsed.GetValue(keepLargest),
                FillHoles = parsed.GetValue(fillHoles),
                SliceRunMaxGap = parsed.GetValue(sliceRun),
                Connectivity = parsed.GetValue(connectivity) switch
                {
                    "full" => Connectivity.Full,
                    "faces" => Connectivity.Faces,
                    var c => throw new MedSegException($"--connectivity {c} is unknown; valid: full, faces."),
                },
                Volumetric = !parsed.GetValue(components2d),
            };
            var windowBlend = parsed.GetValue(blend) switch
            {
                "gaussian" => WindowBlend.Gaussian,
                "constant" => WindowBlend.Constant,
                var b => throw new MedSegException($"--blend {b} is unknown; valid: gaussian, constant."),
            };
            var options = new PredictOptions(parsed.GetValue(tta)!, Numbers(parsed.GetValue(threshold), "--threshold"), parsed.GetValue(floor),
                postProcess, parsed.GetValue(batchSize), parsed.GetValue(overlap), windowBlend, parsed.GetValue(backend)!, parsed.GetValue(validatedPostProcess)!);
            var progress = new ConsoleProgress();
            var outPath = parsed.GetValue(output)!;
            var dataPath = parsed.GetValue(data)!;
            var shardPart = parsed.GetValue(shard) is { } shardText ? Shard.Parse(shardText) : (Shard?)null;
            var folderData = !LabelMapPredictor.Accepts(dataPath) && FolderPipeline.Accepts(dataPath);
            var labelMapFormat = LabelMapFiles.Parse(parsed.GetValue(format)!);
            if (labelMapFormat != LabelMapFormat.Nifti && !LabelMapPredictor.Accepts(dataPath))
            {
                throw new MedSegException($"--format {parsed.GetValue(format)} applies to NIfTI and DICOM input; {dataPath} is not, so leave --format out.");
            }
            if (folderData && (parsed.GetValue(threshold) is not null || parsed.GetValue(floor) is not null
                || postProcess with { Connectivity = Connectivity.Full, Volumetric = true } != PostProcessOptions.None))
            {
                throw new MedSegException("--threshold, --floor and the post-processing options apply to UW-Madison and nnU-Net data; a folder dataset's classes are exclusive, so each pixel takes its most probable class.");
            }
            if (folderData || LabelMapPredictor.Accepts(dataPath))
            {
                if (parsed.GetValue(saveProbabilities) is not null || parsed.GetValue(overlays) is not null || parsed.GetValue(gate) is not null || parsed.GetValue(sample) is not null)
                {
                    throw new MedSegException("--save-probabilities, --overlays, --gate and --sample-submission apply to UW-Madison data; leave them out for an nnU-Net or folder dataset.");
                }
                // Bundles or .onnx files on --backend onnx: the libtorch-free predictors (no TorchSharp type is touched).
                var withoutLibtorch = WithoutLibtorch(options, parsed.GetValue(models)!, null, parsed.GetValue(device)!);
                Func<IReadOnlyList<string>, IReadOnlyList<double>?, string, string, PredictOptions, string, Action<int, int, string>?, Shard?, LabelMapPrediction> predict =
                    (folderData, withoutLibtorch) switch
                    {
                        (true, true) => (r, w, d, o, p, _, report, part) => OnnxFolderPredictor.Predict(r, w, d, o, p, report, part),
                        (true, false) => FolderPredictor.Predict,
                        (false, true) => (r, w, d, o, p, _, report, part) => OnnxLabelMapPredictor.Predict(r, w, d, o, p, report, part, labelMapFormat),
                        (false, false) => (r, w, d, o, p, dev, report, part) => LabelMapPredictor.Predict(r, w, d, o, p, dev, report, part, labelMapFormat),
                    };
                var (unit, maps) = folderData ? ("images", "index maps") : ("cases", "label maps");
                var written = predict(parsed.GetValue(models)!, Numbers(parsed.GetValue(weights), "--weights"), dataPath,
                    outPath, options, parsed.GetValue(device)!, (done, total, id) => progress.Update((double)done / total, $"{done}/{total} {unit} ({id})"), shardPart);
                progress.Clear();
                foreach (var note in written.Warnings)
                {
                    Console.Error.WriteLine(note);
                }
                Console.WriteLine(written.AlreadyComplete
                    ? $"shard {shardPart}: {written.OutputFolder} is already complete ({written.Cases} {maps}); nothing to do"
                    : $"wrote {written.Cases} {maps} of the images in {written.SourceFolder} to {written.OutputFolder}{(shardPart is { } p ? $" (shard {p})" : "")}");
                return;
            }
            var request = new SubmissionRequest(parsed.GetValue(models)!, Numbers(parsed.GetValue(weights), "--weights"), dataPath, outPath, options)
            {
                Gate = parsed.GetValue(gate),
                ProbabilitiesFolder = parsed.GetValue(saveProbabilities),
                OverlaysFolder = parsed.GetValue(overlays),
                SamplePath = parsed.GetValue(sample),
                Shard = shardPart,
            };
            Action<int, int, string> caseDayProgress = (done, total, id) => progress.Update((double)done / total, $"{done}/{total} case-days ({id})");
            Action<string> message = line => { progress.Clear(); Console.WriteLine(line); };
            // Bundles or .onnx models (and gate) on --backend onnx: the libtorch-free predictor (no TorchSharp type is touched).
            var rows = WithoutLibtorch(options, request.Models, request.Gate, parsed.GetValue(device)!)
                ? OnnxSubmissionPredictor.Predict(request, caseDayProgress, message)
                : SubmissionPredictor.Predict(request.Models, request.Weights, dataPath, outPath, options, parsed.GetValue(device)!, caseDayProgress,
                    request.ProbabilitiesFolder, request.OverlaysFolder, request.Gate, request.SamplePath, message, shard: shardPart);
            progress.Clear();
            Console.WriteLine(shardPart is { } part ? $"{outPath} holds shard {part}: {rows} rows" : $"wrote {rows} rows to {outPath}");
        });
        return command;
    }

    /// <summary>
    /// Whether <c>--backend onnx</c> predicts with MedSeg.Onnx alone (libtorch never loaded): every model, and the gate,
    /// is a bundle or an .onnx file. Run folders and ensemble files are read through MedSeg.Torch.
    /// </summary>
    private static bool WithoutLibtorch(PredictOptions options, IReadOnlyList<string> models, string? gate, string device)
    {
        var onnxOnly = options.Backend == "onnx" && OnnxLabelMapPredictor.TakesModels([.. models, .. gate is null ? Array.Empty<string>() : [gate]]);
        if (onnxOnly && device != "cpu")
        {
            throw new MedSegException("--backend onnx runs on ONNX Runtime's CPU provider; use --device cpu with it.");
        }
        return onnxOnly;
    }

    /// <summary>Parses a comma-separated list of non-negative numbers given to <paramref name="option"/> (null when absent).</summary>
    private static double[]? Numbers(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || values[i] < 0)
            {
                throw new MedSegException($"{option} '{text}': '{parts[i]}' is not a non-negative number; write e.g. 0.6,0.4.");
            }
        }
        return values;
    }
}
