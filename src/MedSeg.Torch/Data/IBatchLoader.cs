namespace MedSeg.Torch.Data;

/// <summary>The batches of one epoch, taken in plan order; disposing stops any work building them ahead.</summary>
public interface IBatchLoader<out TBatch> : IDisposable
{
    /// <summary>Batches in the plan.</summary>
    int Count { get; }

    /// <summary>The next batch in plan order.</summary>
    /// <exception cref="InvalidOperationException">Every batch was taken already.</exception>
    TBatch Next();
}
