// Plays the role of torch.utils.data.DataLoader (pytorch/pytorch torch/utils/data/dataloader.py, BSD-3-Clause):
// a sampler order per epoch, batching with drop_last, and worker prefetching that keeps batch order.
using static TorchSharp.torch;

namespace AffectMae.Models.Data;

/// <summary>Creates <see cref="DataLoader{TStaged, TBatch}"/>s with the type arguments inferred from the dataset.</summary>
public static class DataLoader
{
    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The dataset to batch.</param>
    /// <param name="options">Batch size, shuffling, seed and workers.</param>
    /// <param name="device">Where batch tensors are created; <see langword="null"/> means the CPU.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public static DataLoader<TStaged, TBatch> Create<TStaged, TBatch>(IBatchDataset<TStaged, TBatch> dataset, DataLoaderOptions options, Device? device = null)
        where TStaged : class
        where TBatch : IDisposable
        => new(dataset, options, device);
}

/// <summary>
/// Batches a dataset the way PyTorch's <c>DataLoader</c> does, reproducibly: the item order of epoch e is a function of
/// (seed, e) alone, and batch k of epoch e stages with a generator seeded from (seed, e, k). The same seed therefore
/// gives the same batches, a run resumed at epoch e sees epoch e's batches, and background staging gives exactly the
/// batches that synchronous staging gives.
/// </summary>
/// <remarks>
/// With <see cref="DataLoaderOptions.Workers"/> &gt; 0, worker threads stage upcoming batches (decoding, augmentation)
/// while the consumer trains, at most <see cref="DataLoaderOptions.PrefetchBatches"/> ahead; batches still arrive in
/// order. Tensors are created on the consumer's thread from the staged arrays, on the loader's device. The consumer owns
/// every batch it receives and disposes it (<c>foreach (var b in loader.Epoch(e)) { using (b) { … } }</c>). A worker's
/// exception (for an image, naming the file) is thrown to the consumer when it reaches that batch. Leaving the loop,
/// disposing the enumerator or cancelling the token stops the workers; nothing staged is left holding native memory.
/// </remarks>
/// <typeparam name="TStaged">The dataset's managed form of a batch.</typeparam>
/// <typeparam name="TBatch">The tensor batch.</typeparam>
public sealed class DataLoader<TStaged, TBatch>
    where TStaged : class
    where TBatch : IDisposable
{
    private const int OrderStream = -1;   // the permutation's generator; batch k uses stream k

    private readonly IBatchDataset<TStaged, TBatch> dataset;
    private readonly DataLoaderOptions options;

    /// <summary>Creates a loader over <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The dataset to batch.</param>
    /// <param name="options">Batch size, shuffling, seed and workers; copied, so later changes have no effect.</param>
    /// <param name="device">Where batch tensors are created; <see langword="null"/> means the CPU.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message says what to change.</exception>
    public DataLoader(IBatchDataset<TStaged, TBatch> dataset, DataLoaderOptions options, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        var result = new DataLoaderOptionsValidator().Validate(null, options);
        if (result.Failed)
            throw new ArgumentException(string.Join(" ", result.Failures ?? [result.FailureMessage]), nameof(options));
        this.dataset = dataset;
        this.options = new DataLoaderOptions
        {
            BatchSize = options.BatchSize, Shuffle = options.Shuffle, DropLast = options.DropLast,
            Seed = options.Seed, Workers = options.Workers, PrefetchBatches = options.PrefetchBatches,
        };
        Device = device ?? CPU;
    }

    /// <summary>Where batch tensors are created.</summary>
    public Device Device { get; }

    /// <summary>Batches an epoch yields: ⌈N/B⌉, or ⌊N/B⌋ with <see cref="DataLoaderOptions.DropLast"/>.</summary>
    public int BatchCount => options.DropLast
        ? dataset.Count / options.BatchSize
        : (dataset.Count + options.BatchSize - 1) / options.BatchSize;

    /// <summary>The item order of epoch <paramref name="epoch"/>: a seeded Fisher–Yates permutation, or 0 … N−1 without shuffling.</summary>
    /// <param name="epoch">Zero-based epoch.</param>
    public int[] Order(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var order = Enumerable.Range(0, dataset.Count).ToArray();
        if (options.Shuffle)
        {
            var random = new Random(SeedMixer.Mix(options.Seed, epoch, OrderStream));
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        return order;
    }

    /// <summary>The item indices of each batch of epoch <paramref name="epoch"/>, in order.</summary>
    /// <param name="epoch">Zero-based epoch.</param>
    public IReadOnlyList<int[]> BatchIndices(int epoch)
    {
        var order = Order(epoch);
        return Enumerable.Range(0, BatchCount)
            .Select(k => order[(k * options.BatchSize)..Math.Min(order.Length, (k + 1) * options.BatchSize)])
            .ToArray();
    }

    /// <summary>The batches of epoch <paramref name="epoch"/>, in order; staging starts when enumeration starts.</summary>
    /// <param name="epoch">Zero-based epoch.</param>
    /// <param name="cancellationToken">Stops the workers; the enumeration then throws <see cref="OperationCanceledException"/>.</param>
    /// <returns>Batches the caller owns and disposes.</returns>
    public IEnumerable<TBatch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        var batches = BatchIndices(epoch);
        return options.Workers == 0
            ? Synchronous(epoch, batches, cancellationToken)
            : Background(epoch, batches, cancellationToken);
    }

    private TStaged Stage(int epoch, IReadOnlyList<int[]> batches, int k, CancellationToken token) =>
        dataset.Stage(batches[k], new Random(SeedMixer.Mix(options.Seed, epoch, k)), token);

    private IEnumerable<TBatch> Synchronous(int epoch, IReadOnlyList<int[]> batches, CancellationToken cancellationToken)
    {
        for (int k = 0; k < batches.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return dataset.ToBatch(Stage(epoch, batches, k, cancellationToken), Device);
        }
    }

    private IEnumerable<TBatch> Background(int epoch, IReadOnlyList<int[]> batches, CancellationToken cancellationToken)
    {
        using var pipeline = new PrefetchPipeline<TStaged>(batches.Count, options.Workers, options.PrefetchBatches,
            (k, token) => Stage(epoch, batches, k, token), cancellationToken);
        for (int k = 0; k < batches.Count; k++)
            yield return dataset.ToBatch(pipeline.Take(k), Device);
    }
}
