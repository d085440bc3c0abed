namespace MedSeg.Core.Data;

/// <summary>Which slices of a case-day are training samples (<c>slices</c> key).</summary>
public enum SliceSubset
{
    /// <summary>Every slice (<c>all</c>).</summary>
    All,

    /// <summary>Only slices with a positive mask of any class (<c>annotated</c>).</summary>
    Annotated,
}
