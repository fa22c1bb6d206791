// Streaming P_AU: per-AU TP/FP/FN/TN counts over the labelled cells of every batch.
namespace AffectMae.Metrics;

/// <summary>Accumulates [frames, units] 0/1 AU predictions batch by batch and reports per-AU F1 and P_AU.</summary>
/// <remarks>
/// A gold −1 leaves out that AU at that frame only. Counts are exact, so the result equals
/// <see cref="ActionUnitMetrics.PerUnitF1(ReadOnlySpan{int}, ReadOnlySpan{int}, int)"/> on the concatenated batches.
/// Turn scores into predictions with <see cref="ActionUnitMetrics.Binarize(ReadOnlySpan{double}, ReadOnlySpan{double})"/>. Not thread-safe.
/// </remarks>
public sealed class ActionUnitAccumulator
{
    private readonly long[] tally;   // TP, FP, FN, TN per AU

    /// <summary>Creates an empty accumulator.</summary>
    /// <param name="unitCount">Number of AU columns; 12 for ABAW.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="unitCount"/> is not positive.</exception>
    public ActionUnitAccumulator(int unitCount = AffectLabels.ActionUnitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(unitCount);
        UnitCount = unitCount;
        tally = new long[ActionUnitMetrics.TallyWidth * unitCount];
    }

    /// <summary>Number of AU columns.</summary>
    public int UnitCount { get; }

    /// <summary>Number of labelled (frame, AU) cells added so far.</summary>
    public long LabelledCells { get; private set; }

    /// <summary>Adds a batch; an empty or fully unlabelled batch is allowed.</summary>
    /// <param name="predictions">Row-major [frames, <see cref="UnitCount"/>] predictions, each 0 or 1.</param>
    /// <param name="gold">Row-major [frames, <see cref="UnitCount"/>] gold values, each 0, 1 or −1 (unlabelled).</param>
    /// <exception cref="ArgumentException">
    /// Length mismatch (names <paramref name="gold"/>), a length that is not a whole number of rows (names <paramref name="predictions"/>),
    /// or a value outside the allowed set (names the span holding it); the accumulator is then unchanged.
    /// </exception>
    public void Add(ReadOnlySpan<int> predictions, ReadOnlySpan<int> gold)
        => LabelledCells += ActionUnitMetrics.Tally(predictions, gold, UnitCount, tally);

    /// <summary>Adds everything another accumulator has seen.</summary>
    /// <param name="other">An accumulator with the same unit count; it is not modified.</param>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="other"/> has a different unit count.</exception>
    public void Merge(ActionUnitAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.UnitCount != UnitCount)
        {
            throw new ArgumentException($"Cannot merge {other.UnitCount} units into {UnitCount}.", nameof(other));
        }

        for (int i = 0; i < tally.Length; i++)
        {
            tally[i] += other.tally[i];
        }

        LabelledCells += other.LabelledCells;
    }

    /// <summary>Forgets every frame added so far.</summary>
    public void Reset()
    {
        Array.Clear(tally);
        LabelledCells = 0;
    }

    /// <summary>The counts of every AU accumulated so far.</summary>
    /// <returns>A new array of <see cref="UnitCount"/> counts, indexed by AU column.</returns>
    public BinaryCounts[] Counts() => ActionUnitMetrics.ToCounts(tally);

    /// <summary>Per-AU F1 and P_AU over the labelled cells added so far.</summary>
    /// <returns>The scores.</returns>
    /// <exception cref="InvalidOperationException">No labelled cell has been added.</exception>
    public ActionUnitScore Result()
        => LabelledCells > 0 ? ActionUnitScore.From(Counts()) : throw new InvalidOperationException("No labelled AU cell has been added.");
}
