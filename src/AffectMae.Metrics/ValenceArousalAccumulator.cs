// Streaming P_VA: one co-moment state for valence and one for arousal, each skipping its unlabelled gold frames.
using System.Numerics;

namespace AffectMae.Metrics;

/// <summary>Accumulates [frames, 2] (valence, arousal) batches and reports CCC_V, CCC_A and P_VA.</summary>
/// <remarks>
/// Masking is per dimension: a gold valence below −1 (the files write −5) leaves out that frame's valence,
/// and likewise for arousal. Predictions must be finite on every frame, labelled or not.
/// Reading the result equals <see cref="AbawScores.ValenceArousal(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
/// on the concatenated batches, to rounding error. Not thread-safe.
/// </remarks>
public sealed class ValenceArousalAccumulator
{
    private CoMoments valence, arousal;

    /// <summary>Number of frames with a labelled valence added so far.</summary>
    public long ValenceFrames => valence.Count;

    /// <summary>Number of frames with a labelled arousal added so far.</summary>
    public long ArousalFrames => arousal.Count;

    /// <summary>Adds a batch; an empty batch is allowed and changes nothing.</summary>
    /// <param name="predictions">Row-major [frames, 2] predictions: valence, arousal per frame.</param>
    /// <param name="gold">Row-major [frames, 2] gold values; a value below −1 marks that dimension of the frame unlabelled.</param>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>), an odd length (names <paramref name="predictions"/>), or a NaN or
    /// infinite value (names the span holding it); the accumulator is then unchanged.
    /// </exception>
    public void Add(ReadOnlySpan<double> predictions, ReadOnlySpan<double> gold) => AddCore(predictions, gold);

    /// <summary>Adds a batch of single-precision values (accumulated in double precision).</summary>
    /// <param name="predictions">Row-major [frames, 2] predictions: valence, arousal per frame.</param>
    /// <param name="gold">Row-major [frames, 2] gold values; a value below −1 marks that dimension of the frame unlabelled.</param>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>), an odd length (names <paramref name="predictions"/>), or a NaN or
    /// infinite value (names the span holding it); the accumulator is then unchanged.
    /// </exception>
    public void Add(ReadOnlySpan<float> predictions, ReadOnlySpan<float> gold) => AddCore(predictions, gold);

    /// <summary>Adds everything another accumulator has seen.</summary>
    /// <param name="other">The accumulator to merge in; it is not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void Merge(ValenceArousalAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        valence = CoMoments.Merge(valence, other.valence);
        arousal = CoMoments.Merge(arousal, other.arousal);
    }

    /// <summary>Forgets every frame added so far.</summary>
    public void Reset() => (valence, arousal) = (default, default);

    /// <summary>CCC of valence and arousal over the labelled frames added so far, and P_VA.</summary>
    /// <returns>The scores.</returns>
    /// <exception cref="InvalidOperationException">No labelled valence or no labelled arousal frame has been added.</exception>
    public ValenceArousalScore Result()
    {
        if (valence.Count == 0 || arousal.Count == 0)
        {
            throw new InvalidOperationException("No labelled valence or arousal frame has been added.");
        }

        return ToScore(valence, arousal);
    }

    /// <summary>Validates a [frames, 2] batch and summarises each column over its labelled frames.</summary>
    internal static (CoMoments Valence, CoMoments Arousal) Moments<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> gold)
        where T : IFloatingPointIeee754<T>
    {
        Guard.SameLength(predictions.Length, gold.Length, nameof(gold));
        Guard.WholeRows(predictions.Length, 2, nameof(predictions));
        Guard.Finite(predictions, nameof(predictions));
        Guard.Finite(gold, nameof(gold));
        return (CoMoments.Of(predictions, gold, offset: 0, stride: 2, skipUnlabelledGold: true),
                CoMoments.Of(predictions, gold, offset: 1, stride: 2, skipUnlabelledGold: true));
    }

    internal static ValenceArousalScore ToScore(CoMoments valence, CoMoments arousal)
        => new(valence.Ccc(), arousal.Ccc(), valence.Count, arousal.Count);

    private void AddCore<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> gold)
        where T : IFloatingPointIeee754<T>
    {
        var (batchValence, batchArousal) = Moments(predictions, gold);
        valence = CoMoments.Merge(valence, batchValence);
        arousal = CoMoments.Merge(arousal, batchArousal);
    }
}
