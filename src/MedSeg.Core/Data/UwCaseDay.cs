using System.Globalization;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>One scan session of a UW-Madison case (<c>caseN_dayM</c>): its axial slices in slice-number order.</summary>
public sealed class UwCaseDay
{
    /// <summary>Slice thickness of the UW-Madison scans in mm (fixed by the data set, not stored in the files).</summary>
    public const double DefaultSliceThickness = 3.0;

    internal UwCaseDay(int caseNumber, int day, IReadOnlyList<UwSlice> slices)
    {
        Case = caseNumber;
        Day = day;
        Slices = slices;
    }

    /// <summary>The case (patient) number N of <c>caseN</c>.</summary>
    public int Case { get; }

    /// <summary>The day number M of <c>dayM</c>.</summary>
    public int Day { get; }

    /// <summary>The id <c>caseN_dayM</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"case{Case}_day{Day}");

    /// <summary>The slices ordered by slice number.</summary>
    public IReadOnlyList<UwSlice> Slices { get; }

    /// <summary>The intensity mapping its slices share (see <see cref="UwSlice.Intensity"/>), or null when they are stored as they are.</summary>
    public IntensityMapping? Intensity => Slices.Count > 0 ? Slices[0].Intensity : null;

    /// <summary>Image channels of every slice (1 for UW-Madison data; one per nnU-Net channel when preprocessed from NIfTI).</summary>
    public int Channels => Slices.Count > 0 ? Slices[0].Channels : 1;

    /// <summary>Distance between slices in mm.</summary>
    public double SliceThickness => DefaultSliceThickness;

    /// <inheritdoc />
    public override string ToString() => Id;
}
