// Streaming CCC for training and evaluation loops: batches are summarised with a two-pass pass each and merged with
// Chan et al.'s pairwise update, so the result matches the one-shot Ccc.Compute on the concatenated series
// to rounding error, without storing the series.
using System.Numerics;

namespace AffectMae.Metrics;

/// <summary>Accumulates prediction/gold pairs batch by batch and reports their CCC and Pearson r.</summary>
/// <remarks>
/// No value is treated as unlabelled (see <see cref="ValenceArousalAccumulator"/> for the ABAW −5 markers).
/// Not thread-safe; use one accumulator per thread and <see cref="Merge"/> them.
/// </remarks>
public sealed class CccAccumulator
{
    private CoMoments moments;

    /// <summary>Number of pairs added so far.</summary>
    public long Count => moments.Count;

    /// <summary>Adds a batch of pairs; an empty batch is allowed and changes nothing.</summary>
    /// <param name="predictions">Predicted values of the batch.</param>
    /// <param name="gold">Gold values of the batch, as many as <paramref name="predictions"/>.</param>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>) or a NaN or infinite value (names the span holding it);
    /// the accumulator is then unchanged.
    /// </exception>
    public void Add(ReadOnlySpan<double> predictions, ReadOnlySpan<double> gold) => AddCore(predictions, gold);

    /// <summary>Adds a batch of single-precision pairs (accumulated in double precision).</summary>
    /// <param name="predictions">Predicted values of the batch.</param>
    /// <param name="gold">Gold values of the batch, as many as <paramref name="predictions"/>.</param>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>) or a NaN or infinite value (names the span holding it);
    /// the accumulator is then unchanged.
    /// </exception>
    public void Add(ReadOnlySpan<float> predictions, ReadOnlySpan<float> gold) => AddCore(predictions, gold);

    /// <summary>Adds everything another accumulator has seen, as if its batches had been added here.</summary>
    /// <param name="other">The accumulator to merge in; it is not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public void Merge(CccAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        moments = CoMoments.Merge(moments, other.moments);
    }

    /// <summary>Forgets every pair added so far.</summary>
    public void Reset() => moments = default;

    /// <summary>The CCC of all pairs added so far, with the definition and policies of <see cref="Metrics.Ccc.Compute(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</summary>
    /// <returns>The CCC in [−1, 1].</returns>
    /// <exception cref="InvalidOperationException">No pair has been added.</exception>
    public double Ccc() => NonEmpty().Ccc();

    /// <summary>Pearson r of all pairs added so far (0 when a series is constant).</summary>
    /// <returns>r in [−1, 1].</returns>
    /// <exception cref="InvalidOperationException">No pair has been added.</exception>
    public double Pearson() => NonEmpty().Pearson();

    private void AddCore<T>(ReadOnlySpan<T> predictions, ReadOnlySpan<T> gold)
        where T : IFloatingPointIeee754<T>
    {
        Guard.SameLength(predictions.Length, gold.Length, nameof(gold));
        Guard.Finite(predictions, nameof(predictions));
        Guard.Finite(gold, nameof(gold));
        moments = CoMoments.Merge(moments, CoMoments.Of(predictions, gold, offset: 0, stride: 1, skipUnlabelledGold: false));
    }

    private CoMoments NonEmpty()
        => moments.Count > 0 ? moments : throw new InvalidOperationException("No prediction/gold pair has been added.");
}
