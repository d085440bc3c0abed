using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;
using MedSeg.Core.Preprocessing;
using MedSeg.Core.Reports;
using MedSeg.Torch.Data;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// Trains one 2D / 2.5D segmentation network on a UW-Madison-layout dataset: cases are split into folds
/// (GroupKFold by case), one fold validates with the uwmgi score, and the run folder receives the best and last
/// weights, the config, the log, the curves and a resume point after every epoch. All randomness derives from the
/// seed and the epoch, so a resumed run continues bit for bit like the uninterrupted one (on the same CPU).
/// </summary>
public static class Trainer
{
    private static readonly JsonSerializerOptions LogJson = new(TrainConfig.Json) { WriteIndented = false };

    /// <summary>
    /// Starts a new run on the dataset folder <paramref name="dataPath"/>: a UW-Madison folder, an nnU-Net raw
    /// dataset, which is first preprocessed into the run folder (<see cref="TrainingData"/>), or a folder dataset
    /// (<see cref="FolderLayout"/>).
    /// </summary>
    public static TrainResult Train(string dataPath, TrainConfig config, string runPath, TrainingEvents? events = null)
    {
        if (FolderLayout.IsDatasetFolder(dataPath))
        {
            return Train(FolderLayout.Load(dataPath), config, runPath, events);
        }
        config.Validate();
        var (data, resolved) = TrainingData.ForNewRun(dataPath, config, runPath, events?.Message);
        return Train(data, resolved, runPath, events);
    }

    /// <summary>Continues the run in <paramref name="runPath"/> on the dataset folder <paramref name="dataPath"/> (see <see cref="TrainingData"/>).</summary>
    public static TrainResult Resume(string dataPath, string runPath, double? maxMinutes = null, TrainingEvents? events = null) =>
        FolderLayout.IsDatasetFolder(dataPath)
            ? Resume(FolderTraining.Setup(FolderLayout.Load(dataPath)), runPath, maxMinutes, events)
            : Resume(TrainingData.ForResume(dataPath, runPath, events?.Message), runPath, maxMinutes, events);

    /// <summary>
    /// Starts a new run on a folder dataset: the config is resolved for it (<see cref="FolderSegmentationTask.Resolve"/>:
    /// a multiclass loss by default; <see cref="FolderTraining.FitTo"/>: folds fitted to few images) and every image and
    /// mask is checked (<see cref="FolderSurvey"/>) before anything is written.
    /// </summary>
    public static TrainResult Train(FolderLayout data, TrainConfig config, string runPath, TrainingEvents? events = null)
    {
        config = FolderSegmentationTask.Resolve(config);
        config.Validate(LossMode.Multiclass);
        config = FolderTraining.FitTo(config, data, events?.Message);
        return Train(FolderTraining.Setup(data), config, runPath, events);
    }

    /// <summary>
    /// Starts a new run in <paramref name="runPath"/> (which must not hold files). With <c>fold: all</c>, trains one
    /// run per fold in <c>RUN/fold_K</c> and returns the mean of their best scores (predict takes RUN as the ensemble).
    /// </summary>
    public static TrainResult Train(UwMadisonDataset data, TrainConfig config, string runPath, TrainingEvents? events = null)
    {
        config.Validate();
        return Train(UwSetup(data), TrainingDefaults.FitTo(config, data, events?.Message), runPath, events);
    }

    private static TrainResult Train(Func<TrainConfig, TrainingSetup> setup, TrainConfig config, string runPath, TrainingEvents? events)
    {
        if (config.Fold != "all")
        {
            return Run(setup, config, runPath, events, resume: false);
        }
        // Fold 0's setup checks the config and the split before the parent folder exists.
        _ = setup(config with { Fold = "0" });
        RunFolder.CreateEmpty(runPath);
        var results = new List<TrainResult>();
        for (var fold = 0; fold < config.Folds; fold++)
        {
            var foldConfig = config with { Fold = fold.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            results.Add(Run(setup, foldConfig, Path.Combine(runPath, RunFolder.FoldFolder(fold)), events, resume: false));
        }
        var mean = results.Average(r => r.BestScore);
        events?.Message?.Invoke($"{config.Folds} folds: best validation scores {string.Join(", ", results.Select(r => r.BestScore.ToString("F4")))}; mean {mean:F4}");
        return new TrainResult(runPath, 0, mean, results.SelectMany(r => r.Epochs).ToArray());
    }

    /// <summary>Continues the run in <paramref name="runPath"/> from its last finished epoch with its saved config.</summary>
    /// <param name="maxMinutes">A new time limit for this session (null keeps the saved one).</param>
    public static TrainResult Resume(UwMadisonDataset data, string runPath, double? maxMinutes = null, TrainingEvents? events = null) =>
        Resume(UwSetup(data), runPath, maxMinutes, events);

    private static TrainResult Resume(Func<TrainConfig, TrainingSetup> setup, string runPath, double? maxMinutes, TrainingEvents? events)
    {
        if (RunFolder.Expand(runPath) is { Count: > 1 })
        {
            throw new MedSegException($"{runPath} holds one run per fold; resume one of them, e.g. --resume {Path.Combine(runPath, RunFolder.FoldFolder(0))}.");
        }
        var run = RunFolder.Load(runPath, requireModel: false);
        var config = maxMinutes is { } m ? run.Config with { MaxMinutes = m } : run.Config;
        return Run(setup, config, runPath, events, resume: true);
    }

    /// <summary>
    /// What <c>Train</c> checks before it writes anything, without writing: the config's values, labels, the fold
    /// split, the task (e.g. a 3D patch that fits the volumes) and the network (e.g. a patch size it takes); a
    /// <c>fold: all</c> config is checked on fold 0.
    /// </summary>
    /// <returns>The number of parameters of the network the run would train.</returns>
    /// <exception cref="MedSegException">Something would make the run fail; the message names the option at fault.</exception>
    public static long Check(UwMadisonDataset data, TrainConfig config)
    {
        config = config with { Channels = data.Channels };
        config.Validate();
        config = TrainingDefaults.FitTo(config, data);
        RequireLabels(data);
        var split = FoldSplit.Of(data, config);
        using var model = TrainingTasks.Create(data, config, split).CreateModel();
        return model.parameters().Sum(p => p.numel());
    }

    private static void RequireLabels(UwMadisonDataset data)
    {
        if (!data.HasLabels)
        {
            throw new MedSegException($"data folder {data.Root} has no train.csv; training needs labelled data.");
        }
    }

    /// <summary>The task and run description of a UW-Madison-layout run for a (fold) config.</summary>
    private static Func<TrainConfig, TrainingSetup> UwSetup(UwMadisonDataset data) => config =>
    {
        config = config with { Channels = data.Channels };
        config.Validate();
        RequireLabels(data);
        var split = FoldSplit.Of(data, config);
        return new TrainingSetup(TrainingTasks.Create(data, config, split), RunInfo.Of(config, data.Classes,
            split.Train.Select(c => c.Id).ToArray(), split.Validation.Select(c => c.Id).ToArray(), split.HeldOut) with
        {
            Intensity = data.CaseDays.Any(c => c.Intensity is not null) ? IntensityMapping.PerVolumeRule : null,
        }, config);
    };

    /// <summary>One run; <paramref name="setup"/> checks the config against the data before anything is written.</summary>
    private static TrainResult Run(Func<TrainConfig, TrainingSetup> setup, TrainConfig config, string runPath, TrainingEvents? events, bool resume)
    {
        var device = Devices.Resolve(config.Device);
        var run = setup(config);
        if (resume)
        {
            using var resumeLock = FolderLock.Acquire(runPath);
            return Loop(run, runPath, device, events, resume);
        }
        RunFolder.CreateEmpty(runPath);
        var runLock = FolderLock.Acquire(runPath);
        try
        {
            return Loop(run, runPath, device, events, resume);
        }
        catch when (!Directory.Exists(Path.Combine(runPath, Checkpoint.Folder)))
        {
            // Nothing usable was written yet: leave no half-made run folder behind.
            runLock.Dispose();
            Directory.Delete(runPath, recursive: true);
            throw;
        }
        finally
        {
            runLock.Dispose();
        }
    }

    private static TrainResult Loop(TrainingSetup run, string runPath, Device device, TrainingEvents? events, bool resume)
    {
        var (task, info, config) = run;
        if (config.Threads > 0)
        {
            set_num_threads(config.Threads);
        }
        manual_seed(config.Seed);
        events?.Message?.Invoke(task.Description);
        if (!resume)
        {
            config = TrainingDefaults.FitSteps(config, task.SampleCount, events?.Message);
            RunFolder.WriteJson(runPath, RunFolder.ConfigFile, config);
            RunFolder.WriteJson(runPath, RunFolder.InfoFile, info);
        }

        using var model = task.CreateModel();
        model.to(device);
        using var ema = config.Ema > 0 ? new ModelEma(model, task.CreateModel, config.Ema, device) : null;
        var batchesPerEpoch = Math.Max(1, task.SampleCount / config.BatchSize);
        var stepsPerEpoch = config.StepsPerEpoch > 0 ? config.StepsPerEpoch : Math.Max(1, batchesPerEpoch / config.Accumulate);
        var optimizer = OptimizerFactory.Create(config.Optimizer, model.parameters(), config.Lr, config.WeightDecay);
        var schedule = Schedule(config, stepsPerEpoch);
        var state = resume ? Checkpoint.Load(runPath, model, optimizer, ema) : new TrainingState();
        if (state is null)
        {
            events?.Message?.Invoke($"{runPath} has no finished epoch yet: starting it over from epoch 1");
            state = new TrainingState();
        }
        var scaler = config.Precision == "fp16" ? new LossScaler(state.LossScale ?? LossScaler.InitialScale, state.LossScaleGoodSteps) : null;

        var budget = new TimeBudget(config.MaxMinutes);
        for (var epoch = state.Epoch + 1; epoch <= config.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            manual_seed(config.Seed * 1000L + epoch);
            model.train();
            using var batches = task.Batches(EpochPlan.Of(task.SampleCount, config.BatchSize, stepsPerEpoch * config.Accumulate, config.Seed, epoch));
            var lossSum = 0.0;
            var samples = 0;
            var step = state.Step;
            var taken = 0;
            var firstStepSeconds = 0.0;
            for (var b = 0; b < batches.Count; b++)
            {
                var micro = b % config.Accumulate;
                if (micro == 0 && b > 0 && budget.StepWouldOverrun(epochClock.Elapsed.TotalSeconds / (b / config.Accumulate)))
                {
                    break;
                }
                if (micro == 0)
                {
                    SetLearningRate(optimizer, schedule.At(step));
                    using var zeroScope = NewDisposeScope();
                    optimizer.zero_grad();
                }
                var (loss, count) = Backward(task, model, batches.Next, device, config, scaler);
                lossSum += loss;
                samples += count;
                if (micro == config.Accumulate - 1)
                {
                    // Gradient and state wrappers created by clipping and the step are released here, not by the GC.
                    using var stepScope = NewDisposeScope();
                    if (Step(optimizer, model, config, scaler))
                    {
                        ema?.Update(model);
                    }
                    step++;
                }
                taken = b + 1;
                if (taken == config.Accumulate)
                {
                    firstStepSeconds = epochClock.Elapsed.TotalSeconds;
                }
                events?.Step?.Invoke(epoch, config.Epochs, b + 1, stepsPerEpoch * config.Accumulate, lossSum / (b + 1));
            }

            var trainSeconds = epochClock.Elapsed.TotalSeconds;
            // Out of time: the epoch was cut short, or no further step would leave room for the final validation.
            var outOfTime = epoch < config.Epochs
                && (taken < batches.Count || budget.StepWouldOverrun(trainSeconds / Math.Max(1, taken / config.Accumulate)));
            var evaluated = ema?.Model ?? model;
            var validate = config.ValEvery > 0 && (epoch % config.ValEvery == 0 || epoch == config.Epochs || outOfTime);
            var validation = validate ? Validated(task, evaluated, device) : null;
            var score = validation?.Score ?? double.NaN;
            // Without a held-out fold nothing can choose between epochs: the latest weights are the model.
            var isBest = info.HeldOut ? validate && score > state.BestScore : true;
            var epochSeconds = epochClock.Elapsed.TotalSeconds;
            var record = new EpochRecord(epoch, lossSum / taken, schedule.At(step - 1), score,
                validation?.Dice ?? double.NaN, validation?.Hausdorff ?? double.NaN, epochSeconds, isBest, trainSeconds, samples,
                validate ? info.Validation : null);
            if (isBest)
            {
                RunFolder.SaveWeights(evaluated, runPath, RunFolder.BestModelFile);
            }
            RunFolder.SaveWeights(evaluated, runPath, RunFolder.LastModelFile);
            state = state with
            {
                Epoch = epoch,
                Step = step,
                BestEpoch = isBest ? epoch : state.BestEpoch,
                BestScore = isBest ? score : state.BestScore,
                Records = [.. state.Records, record],
                LossScale = scaler?.Scale,
                LossScaleGoodSteps = scaler?.GoodSteps ?? 0,
            };
            WriteLog(runPath, state.Records);
            Checkpoint.Save(runPath, model, optimizer, ema, state);
            budget.Closed(epochClock.Elapsed.TotalSeconds - trainSeconds);
            if (epoch == 1 && !resume && !outOfTime && !config.EpochsGiven && config.MaxMinutes > 0)
            {
                // The budget, not the default 10 epochs, sets the length: planned once, from the steps after the first (warm-up).
                var stepsTaken = taken / config.Accumulate;
                var pace = stepsTaken > 1 ? (trainSeconds - firstStepSeconds) / (stepsTaken - 1) : trainSeconds / Math.Max(1, stepsTaken);
                var planned = Math.Max(2, budget.EpochsThatFit(1, (pace * stepsPerEpoch) + budget.ClosingSeconds, config.ValEvery > 0) ?? config.Epochs);
                config = config with { Epochs = planned };
                schedule = Schedule(config, stepsPerEpoch);
                RunFolder.WriteJson(runPath, RunFolder.ConfigFile, config);
                events?.Message?.Invoke($"--max-minutes {config.MaxMinutes} and no --epochs: {planned} epochs fit at the first epoch's pace "
                    + $"({pace:0.##} s a step, {stepsPerEpoch} steps an epoch); the learning-rate schedule spans them (config.json records it; --epochs N fixes the length)");
            }
            events?.Epoch?.Invoke(record);
            if (outOfTime)
            {
                events?.Message?.Invoke($"--max-minutes {config.MaxMinutes}: stopped after step {taken / config.Accumulate} of {stepsPerEpoch} in epoch {epoch}"
                    + $"{(validate ? " and validated" : "")}; weights saved; continue with --resume");
                break;
            }
            if (config.Patience > 0 && validate && epoch - state.BestEpoch >= config.Patience)
            {
                events?.Message?.Invoke($"early stopping after epoch {epoch}: no better validation score for {config.Patience} epochs");
                break;
            }
        }
        RunFolder.WriteJson(runPath, RunFolder.InfoFile, info with { BestEpoch = state.BestEpoch, BestScore = state.BestScore });
        if (state.BestEpoch > 0 && info.HeldOut)
        {
            using var best = RunFolder.Load(runPath).LoadModel(device);
            task.WriteOutOfFold(best, Path.Combine(runPath, RunFolder.OutOfFoldFolder), device);
        }
        else if (state.BestEpoch > 0)
        {
            task.DecidePostProcessingOnLabels(runPath);
        }
        return new TrainResult(runPath, state.BestEpoch, state.BestScore, state.Records, info.HeldOut);
    }

    /// <summary>The learning rate over the config's epochs of <paramref name="stepsPerEpoch"/> optimiser steps.</summary>
    private static LearningRateSchedule Schedule(TrainConfig config, int stepsPerEpoch) =>
        new(config.Schedule, config.Lr, (long)stepsPerEpoch * config.Epochs, (long)Math.Round(config.WarmupEpochs * stepsPerEpoch));

    /// <summary>Forward and backward of one batch (gradients accumulate); returns the batch loss and its number of examples.</summary>
    private static (double Loss, int Samples) Backward(ITrainingTask task, nn.Module<Tensor, Tensor> model, Func<TrainingBatch> batch, Device device, TrainConfig config,
        LossScaler? scaler)
    {
        using var scope = NewDisposeScope();
        using var precision = Autocast.For(config.Precision);
        var inputs = batch().To(device);
        var value = task.Loss(model, inputs);
        var scaled = scaler?.ScaleLoss(value) ?? value;
        (config.Accumulate == 1 ? scaled : scaled / config.Accumulate).backward();
        return (value.item<float>(), (int)inputs.Inputs.shape[0]);
    }

    /// <summary>Clips and steps (through the loss scaler in fp16); false when fp16 gradients overflowed and the step was skipped.</summary>
    private static bool Step(OptimizerHelper optimizer, nn.Module model, TrainConfig config, LossScaler? scaler)
    {
        if (scaler is not null)
        {
            return scaler.Step(optimizer, [.. model.parameters()], config.GradClip);
        }
        if (config.GradClip > 0)
        {
            nn.utils.clip_grad_norm_(model.parameters(), config.GradClip);
        }
        optimizer.step();
        return true;
    }

    /// <summary>Validation without gradients, in its own dispose scope.</summary>
    private static ValidationResult Validated(ITrainingTask task, nn.Module<Tensor, Tensor> model, Device device)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        return task.Validate(model, device);
    }

    private static void SetLearningRate(OptimizerHelper optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = lr;
        }
    }

    private static void WriteLog(string runPath, IReadOnlyList<EpochRecord> records)
    {
        var log = new StringBuilder();
        foreach (var record in records)
        {
            log.Append(JsonSerializer.Serialize(record, LogJson)).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(runPath, RunFolder.LogFile), log.ToString());
        TrainingCurves.Write(Path.Combine(runPath, RunFolder.CurvesFile),
            records.Select(r => (r.Epoch, r.TrainLoss, r.ValScore, r.ValDice, r.Lr)).ToArray());
    }
}
