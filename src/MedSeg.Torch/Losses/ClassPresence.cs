using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>Per-class "this slice (or patch) contains the class" targets derived from segmentation targets.</summary>
public static class ClassPresence
{
    /// <summary>
    /// N×C of 0/1 (float32): 1 where class c has a foreground pixel in sample n. <paramref name="target"/> is N×C×S
    /// of 0/1 (binary mode: also N×S), or N×S class indices in <see cref="LossMode.Multiclass"/> mode, with
    /// <paramref name="classes"/> = C classes.
    /// </summary>
    public static Tensor Of(Tensor target, LossMode mode, long classes)
    {
        using var scope = NewDisposeScope();
        var n = target.shape[0];
        var perClass = mode == LossMode.Multiclass
            ? nn.functional.one_hot(target.to_type(ScalarType.Int64).reshape(n, -1), classes).permute(0, 2, 1)
            : target.reshape(n, classes, -1);
        return perClass.gt(0).any(2).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
