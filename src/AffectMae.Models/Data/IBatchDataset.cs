using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>
/// A dataset that <see cref="DataLoader{TStaged, TBatch}"/> can batch. Assembly has two stages: <see cref="Stage"/>
/// does the slow managed work (decoding, augmentation, packing arrays) on a worker thread and creates no tensors;
/// <see cref="ToBatch"/> turns the arrays into tensors on the consumer's thread.
/// </summary>
/// <typeparam name="TStaged">The managed, tensor-free form of a batch.</typeparam>
/// <typeparam name="TBatch">The tensor batch the consumer receives, owns and disposes.</typeparam>
public interface IBatchDataset<TStaged, TBatch>
    where TStaged : class
    where TBatch : IDisposable
{
    /// <summary>Number of items.</summary>
    int Count { get; }

    /// <summary>Assembles the items <paramref name="indices"/> in that order; may run on any thread, concurrently with other calls.</summary>
    /// <param name="indices">Item indices in 0 … <see cref="Count"/>−1.</param>
    /// <param name="random">A generator owned by this call, for random augmentation.</param>
    /// <param name="cancellationToken">Checked between items.</param>
    TStaged Stage(IReadOnlyList<int> indices, Random random, CancellationToken cancellationToken);

    /// <summary>Creates the batch tensors on <paramref name="device"/>; the caller owns and disposes the batch.</summary>
    /// <param name="staged">The result of <see cref="Stage"/>.</param>
    /// <param name="device">Where the tensors go.</param>
    TBatch ToBatch(TStaged staged, Device device);
}
