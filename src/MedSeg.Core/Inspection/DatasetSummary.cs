namespace MedSeg.Core.Inspection;

/// <summary>
/// What <c>medseg inspect</c> reports about a dataset after reading every file: layout, classes (foreground, in
/// label order), counts, per class the number of slices (2-D layouts: UW-Madison, folder) or volumes (nnU-Net)
/// where it is present, and every item in a fixed order.
/// </summary>
public sealed record DatasetSummary(
    DatasetFormat Format, string Root, IReadOnlyList<string> Classes, int Cases, int Volumes, long Slices,
    IReadOnlyList<int> Positives, IReadOnlyList<InspectedItem> Items)
{
    /// <summary>Whether the dataset has masks or label maps.</summary>
    public bool Labelled { get; init; }

    /// <summary>
    /// The JSON object of DESIGN.md: <c>format</c>, <c>classes</c>, <c>cases</c>, <c>volumes</c>, <c>slices</c>,
    /// <c>positives</c> (class → count), <c>items</c> (each <c>id</c>, <c>shape</c>, <c>spacing</c>, <c>min</c>,
    /// <c>max</c>, plus <c>channels</c>, <c>split</c> and, for NIfTI, <c>orientation</c>), plus <c>root</c> and <c>labelled</c>.
    /// </summary>
    public Dictionary<string, object?> ToJson() => new()
    {
        ["format"] = DatasetFormats.Name(Format),
        ["root"] = Root,
        ["labelled"] = Labelled,
        ["classes"] = Classes,
        ["cases"] = Cases,
        ["volumes"] = Volumes,
        ["slices"] = Slices,
        ["positives"] = Classes.Select((c, i) => KeyValuePair.Create(c, Positives[i])).ToDictionary(),
        ["items"] = Items.Select(Item).ToList(),
    };

    private static Dictionary<string, object?> Item(InspectedItem item)
    {
        var json = new Dictionary<string, object?>
        {
            ["id"] = item.Id,
            ["shape"] = item.Shape,
            ["spacing"] = item.Spacing,
            ["min"] = item.Min,
            ["max"] = item.Max,
            ["channels"] = item.Channels,
            ["split"] = item.Split,
        };
        if (item.Orientation is not null)
        {
            json["orientation"] = item.Orientation;
        }
        if (item.Modality is not null)
        {
            json["modality"] = item.Modality;
        }
        if (item.Patient is not null)
        {
            json["patient"] = item.Patient;
        }
        return json;
    }
}
