using System.Buffers;
using System.Numerics;
using MedSeg.Core.IO;
using MedSeg.Core.Metrics;

namespace MedSeg.Core.Evaluation;

/// <summary>
/// Precision–recall of the probability maps saved with the predictions (<see cref="ProbabilityMaps"/>:
/// <c>FOLDER/CASE.npy</c>, float16, classes × slices × rows × columns) against each case's truth as the case is
/// evaluated. Maps are read one slice of one class at a time into the threshold histograms of a
/// <see cref="PrecisionRecallMetric"/>, so memory stays at a slice per thread whatever the size of the data.
/// </summary>
/// <remarks>Thread-safe: cases may be added from several threads at once.</remarks>
internal sealed class ProbabilityEvaluation
{
    private readonly string _folder;
    private readonly PrecisionRecallMetric _metric;

    private ProbabilityEvaluation(string folder, IReadOnlyList<string> classes)
    {
        _folder = folder;
        _metric = new PrecisionRecallMetric(classes);
    }

    /// <summary>The evaluation <paramref name="options"/> ask for, or null when they name no probabilities folder.</summary>
    /// <exception cref="MedSegException">The folder does not exist.</exception>
    public static ProbabilityEvaluation? For(EvaluationOptions options, IReadOnlyList<string> classes)
    {
        if (options.Probabilities is null)
        {
            return null;
        }
        if (!Directory.Exists(options.Probabilities))
        {
            throw new MedSegException(
                $"--probabilities {options.Probabilities} is not a folder; pass the folder written by medseg predict --save-probabilities.");
        }
        return new ProbabilityEvaluation(options.Probabilities, classes);
    }

    /// <summary>Adds a case whose truth is one 0/1 mask per class, each <paramref name="shape"/> (D,H,W) row-major.</summary>
    /// <exception cref="MedSegException">The case's map is missing, of another shape, or holds a value outside 0–1.</exception>
    public void AddMasks(string caseId, int[] shape, IReadOnlyList<byte[]> truth) =>
        Add(caseId, shape, (c, z, plane) => truth[c].AsSpan(z * plane.Length, plane.Length).CopyTo(plane));

    /// <summary>Adds a case whose truth is a label map (0 background, k = class k) of <paramref name="shape"/> (D,H,W) row-major.</summary>
    /// <exception cref="MedSegException">The case's map is missing, of another shape, or holds a value outside 0–1.</exception>
    public void AddLabels<T>(string caseId, int[] shape, T[] labels)
        where T : unmanaged, IBinaryInteger<T> =>
        Add(caseId, shape, (c, z, plane) =>
        {
            T label = T.CreateTruncating(c + 1);
            ReadOnlySpan<T> source = labels.AsSpan(z * plane.Length, plane.Length);
            for (int i = 0; i < plane.Length; i++)
            {
                plane[i] = source[i] == label ? (byte)1 : (byte)0;
            }
        });

    /// <summary>The curves of every case added.</summary>
    public PrecisionRecallResult Compute() => _metric.Compute();

    // Reads the case's map class by class, slice by slice (its C order), each slice counted against the truth
    // plane `fillTruth` writes for (class, slice).
    private void Add(string caseId, int[] shape, Action<int, int, Span<byte>> fillTruth)
    {
        int depth = shape[0], planeSize = shape[1] * shape[2];
        using NpyArrayReader reader = ProbabilityMaps.Open(_folder, caseId, _metric.Classes.Count, depth, shape[1], shape[2]);
        float[] probabilities = ArrayPool<float>.Shared.Rent(planeSize);
        byte[] truth = ArrayPool<byte>.Shared.Rent(planeSize);
        try
        {
            for (int c = 0; c < _metric.Classes.Count; c++)
            {
                for (int z = 0; z < depth; z++)
                {
                    reader.Read(probabilities.AsSpan(0, planeSize));
                    fillTruth(c, z, truth.AsSpan(0, planeSize));
                    try
                    {
                        _metric.Update(c, probabilities.AsSpan(0, planeSize), truth.AsSpan(0, planeSize));
                    }
                    catch (MedSegException e)
                    {
                        throw new MedSegException($"{reader.Path}, slice {z}: {e.Message}", e);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(probabilities);
            ArrayPool<byte>.Shared.Return(truth);
        }
    }
}
