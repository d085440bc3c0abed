namespace MedSeg.Core.Inference;

/// <summary>The class checks every ensemble and its empty-slice gate go through, on either backend.</summary>
public static class EnsembleClasses
{
    /// <summary>The classes of the first member, refused unless every member of <paramref name="members"/> predicts them, in that order.</summary>
    public static IReadOnlyList<string> Common(IEnumerable<IReadOnlyList<string>> members)
    {
        IReadOnlyList<string>? first = null;
        foreach (var classes in members)
        {
            first ??= classes;
            if (!classes.SequenceEqual(first))
            {
                throw new MedSegException($"the runs predict different classes ({string.Join(",", first)} vs {string.Join(",", classes)}); ensemble runs trained on the same classes.");
            }
        }
        return first ?? throw new MedSegException("no model given; pass at least one --model.");
    }

    /// <summary>Refuses a <c>--gate</c> that classifies other classes (<paramref name="gate"/>) than the models predict.</summary>
    public static void CheckGate(IReadOnlyList<string> gate, IReadOnlyList<string> models)
    {
        if (!gate.SequenceEqual(models))
        {
            throw new MedSegException(
                $"the --gate run classifies {string.Join(",", gate)} but the models predict {string.Join(",", models)}; use a gate trained on the same classes.");
        }
    }

    /// <summary>
    /// Refuses a model of the other kind of classes than the data needs: <paramref name="multiclass"/> data (folder
    /// datasets) takes softmax runs trained on folder data, UW-Madison and nnU-Net data take sigmoid runs.
    /// </summary>
    /// <param name="model">The <c>--model</c> path, for the message.</param>
    /// <param name="modelMulticlass">Whether the model is a softmax run (trained on a folder dataset).</param>
    /// <param name="intensity">The model's NIfTI intensity rule (null: trained on UW-Madison PNGs), naming its data.</param>
    public static void CheckKind(string model, bool modelMulticlass, string? intensity, bool multiclass)
    {
        if (modelMulticlass != multiclass)
        {
            throw new MedSegException(multiclass
                ? $"--model {model} was trained on {(intensity is null ? "UW-Madison" : "nnU-Net")} data (one sigmoid per organ); a folder dataset needs a run trained on folder data (medseg train --data FOLDER)."
                : $"--model {model} was trained on a folder dataset (a softmax over its classes); predict folder data with it (--data FOLDER), or use a run trained on this kind of data.");
        }
    }

    /// <summary>Refuses folder-data ensemble members (classes, image channels) that were trained on different data.</summary>
    public static void CheckSameImages(IReadOnlyList<(IReadOnlyList<string> Classes, int ImageChannels)> members)
    {
        foreach (var m in members.Skip(1))
        {
            if (!m.Classes.SequenceEqual(members[0].Classes) || m.ImageChannels != members[0].ImageChannels)
            {
                throw new MedSegException(
                    $"the runs were trained on different data ({string.Join(",", members[0].Classes)} on {members[0].ImageChannels}-channel images vs {string.Join(",", m.Classes)} on {m.ImageChannels}-channel images); ensemble runs trained on the same classes and kind of image.");
            }
        }
    }
}
