using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Metrics;
using MedSeg.Core.Reports;
using MedSeg.Torch.Data;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// Trains one 2D / 2.5D segmentation network on a UW-Madison-layout dataset: cases are split into folds
/// (GroupKFold by case), one fold validates after every epoch with the uwmgi score, and the run folder receives
/// the best and last weights, the config, the log and the curves.
/// </summary>
public static class Trainer
{
    private static readonly JsonSerializerOptions LogJson = new(TrainConfig.Json) { WriteIndented = false };

    public static TrainResult Train(UwMadisonDataset data, TrainConfig config, string runPath, TrainingEvents? events = null)
    {
        config.Validate();
        if (!data.HasLabels)
        {
            throw new MedSegException($"data folder {data.Root} has no train.csv; training needs labelled data.");
        }
        var device = Devices.Resolve(config.Device);
        var split = FoldSplit.Of(data, config.Folds, int.Parse(config.Fold), config.Seed);
        RunFolder.CreateEmpty(runPath);
        try
        {
            return Run(data, config, runPath, split, device, events);
        }
        catch when (!File.Exists(Path.Combine(runPath, RunFolder.LastModelFile)))
        {
            // Nothing usable was written yet: leave no half-made run folder behind.
            Directory.Delete(runPath, recursive: true);
            throw;
        }
    }

    private static TrainResult Run(UwMadisonDataset data, TrainConfig config, string runPath, FoldSplit split, Device device, TrainingEvents? events)
    {
        if (config.Threads > 0)
        {
            set_num_threads(config.Threads);
        }
        manual_seed(config.Seed);
        events?.Message?.Invoke(
            $"fold {config.Fold}/{config.Folds}: {split.Train.Count} case-days ({split.Train.Sum(c => c.Slices.Count)} slices) train, "
            + $"{split.Validation.Count} case-days ({split.Validation.Sum(c => c.Slices.Count)} slices) validate");

        var info = new RunInfo
        {
            Classes = data.Classes,
            MedSegVersion = VersionInfo.MedSeg,
            TorchSharpVersion = VersionInfo.TorchSharp,
            LibTorchVersion = VersionInfo.LibTorch,
            Device = config.Device,
            TrainCaseDays = split.Train.Select(c => c.Id).ToArray(),
            ValidationCaseDays = split.Validation.Select(c => c.Id).ToArray(),
        };
        RunFolder.WriteJson(runPath, RunFolder.ConfigFile, config);
        RunFolder.WriteJson(runPath, RunFolder.InfoFile, info);

        using var model = ModelFactory.Create(config.Arch, config.Encoder, config.InChannels, data.Classes.Count);
        model.to(device);
        var (height, width) = config.ParsedImageSize;
        var tensors = new SliceTensors(config.InChannels, config.SliceStride, height, width);
        var loss = SegmentationLoss.Parse(config.Loss);
        var slices = split.Train.SelectMany(cd => Enumerable.Range(0, cd.Slices.Count).Select(i => new SliceRef(cd, i))).ToArray();
        var stepsPerEpoch = Math.Max(1, slices.Length / config.BatchSize);
        using var optimizer = optim.AdamW(model.parameters(), config.Lr, weight_decay: config.WeightDecay);
        var schedule = new CosineSchedule(config.Lr, (long)stepsPerEpoch * config.Epochs);

        var clock = Stopwatch.StartNew();
        var records = new List<EpochRecord>();
        var log = new StringBuilder();
        var best = new EpochRecord(0, double.NaN, 0, double.NegativeInfinity, 0, 0, 0, false);
        var step = 0L;
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            model.train();
            var order = Shuffled(slices.Length, config.Seed, epoch);
            var lossSum = 0.0;
            var done = 0;
            for (var s = 0; s < stepsPerEpoch; s++)
            {
                var batch = order.Skip(s * config.BatchSize).Take(config.BatchSize).Select(i => slices[i]).ToArray();
                var lr = schedule.At(step++);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = lr;
                }
                lossSum += TrainStep(model, optimizer, loss, tensors, batch, data.Classes.Count, device, config.Precision == "bf16");
                done++;
                events?.Step?.Invoke(epoch, config.Epochs, s + 1, stepsPerEpoch, lossSum / done);
                if (OutOfTime(config, clock))
                {
                    break;
                }
            }

            var validation = Validate(model, config, data.Classes, split.Validation, device);
            var isBest = validation.Score > best.ValScore;
            var record = new EpochRecord(epoch, lossSum / done, schedule.At(step - 1), validation.Score, validation.Dice,
                validation.Hausdorff, epochClock.Elapsed.TotalSeconds, isBest);
            if (isBest)
            {
                best = record;
                RunFolder.SaveWeights(model, runPath, RunFolder.BestModelFile);
            }
            RunFolder.SaveWeights(model, runPath, RunFolder.LastModelFile);
            records.Add(record);
            log.Append(JsonSerializer.Serialize(record, LogJson)).Append('\n');
            AtomicFile.WriteAllText(Path.Combine(runPath, RunFolder.LogFile), log.ToString());
            TrainingCurves.Write(Path.Combine(runPath, RunFolder.CurvesFile),
                records.Select(r => (r.Epoch, r.TrainLoss, r.ValScore, r.ValDice, r.Lr)).ToArray());
            events?.Epoch?.Invoke(record);
            if (OutOfTime(config, clock))
            {
                events?.Message?.Invoke($"stopping after epoch {epoch}: --max-minutes {config.MaxMinutes} reached");
                break;
            }
        }
        RunFolder.WriteJson(runPath, RunFolder.InfoFile, info with { BestEpoch = best.Epoch, BestScore = best.ValScore });
        return new TrainResult(runPath, best.Epoch, best.ValScore, records);
    }

    private static double TrainStep(nn.Module<Tensor, Tensor> model, optim.Optimizer optimizer, SegmentationLoss loss,
        SliceTensors tensors, SliceRef[] batch, int classes, Device device, bool bf16)
    {
        using var scope = NewDisposeScope();
        using var precision = Autocast.BFloat16(bf16);
        var x = tensors.Inputs(batch).to(device);
        var y = tensors.Targets(batch, classes).to(device);
        var value = loss.Compute(model.call(x), y);
        optimizer.zero_grad();
        value.backward();
        optimizer.step();
        return value.item<float>();
    }

    /// <summary>The uwmgi score of the model's thresholded predictions on the validation case-days.</summary>
    public static UwMadisonResult Validate(nn.Module<Tensor, Tensor> model, TrainConfig config, IReadOnlyList<string> classes,
        IReadOnlyList<UwCaseDay> caseDays, Device device)
    {
        model.eval();
        var segmenter = new SliceSegmenter([new EnsembleMember(model, config, classes, 1.0)], new PredictOptions(BatchSize: config.BatchSize), device);
        var score = new UwMadisonScore(classes);
        foreach (var caseDay in caseDays)
        {
            var first = caseDay.Slices[0];
            score.Update(caseDay.Id, caseDay.Slices.Count, first.Height, first.Width,
                segmenter.Masks(caseDay), CaseDayMasks.Truth(caseDay, classes.Count));
        }
        return score.Compute();
    }

    private static bool OutOfTime(TrainConfig config, Stopwatch clock) =>
        config.MaxMinutes > 0 && clock.Elapsed.TotalMinutes >= config.MaxMinutes;

    private static int[] Shuffled(int count, int seed, int epoch)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new DeterministicRandom(seed, epoch).Shuffle(order.AsSpan());
        return order;
    }
}
