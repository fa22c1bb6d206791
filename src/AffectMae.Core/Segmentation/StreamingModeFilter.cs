namespace AffectMae.Core.Segmentation;

/// <summary>
/// <see cref="ModeFilter.Apply"/> fed one frame at a time, for streams: frame i's filtered label is final once frame
/// i + ⌊k/2⌋ has arrived (or the stream has ended), so the filter delays its output by <see cref="Delay"/> frames and
/// holds at most 2·⌊k/2⌋ + 1 labels whatever the stream's length. A frame without a label (null: no prediction) is
/// not counted and comes out null, just as the frames beyond a video's ends are not counted; a stream without such
/// frames gives exactly <see cref="ModeFilter.Apply"/>'s labels.
/// </summary>
public sealed class StreamingModeFilter
{
    private readonly int half;
    private readonly List<int?> labels = [];     // frames first … received − 1
    private readonly List<int> counts = [];      // per class, over the frames low … high
    private int first, received, next;           // index of labels[0]; frames added; next frame to return
    private int low, high = -1;                  // the frames counted

    /// <summary>Creates the filter.</summary>
    /// <param name="windowSize">k, ≥ 0; 0 or 1 leaves the labels as they are.</param>
    /// <exception cref="ArgumentOutOfRangeException">k is negative.</exception>
    public StreamingModeFilter(int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowSize);
        half = windowSize / 2;
    }

    /// <summary>Frames of look-ahead: ⌊k/2⌋.</summary>
    public int Delay => half;

    /// <summary>Adds the next frame's label and returns the filtered labels that became final, in frame order.</summary>
    /// <param name="label">A class label ≥ 0, or null for a frame without a prediction.</param>
    /// <returns>The frames' labels, from the first not yet returned; empty while waiting for look-ahead.</returns>
    /// <exception cref="ArgumentException">The label is negative.</exception>
    public IReadOnlyList<int?> Add(int? label)
    {
        if (label < 0)
            throw new ArgumentException($"Label {label} at frame {received} is negative; the mode filter takes class labels ≥ 0 (null for a frame without one).", nameof(label));
        labels.Add(label);
        received++;
        var done = new List<int?>();
        while (next + half < received) done.Add(Next());
        return done;
    }

    /// <summary>Ends the stream and returns every label not yet returned.</summary>
    public IReadOnlyList<int?> Complete()
    {
        var done = new List<int?>();
        while (next < received) done.Add(Next());
        return done;
    }

    // Frame `next`: the mode over frames next − half … next + half that have arrived, a tie to the smallest label.
    private int? Next()
    {
        int to = Math.Min(received - 1, next + half), from = Math.Max(0, next - half);
        while (high < to) Count(labels[++high - first], +1);
        while (low < from) Count(labels[low++ - first], -1);
        int? own = labels[next - first];
        next++;
        int drop = low - first;                                                 // frames before `low` are counted no more
        if (drop > 0)
        {
            labels.RemoveRange(0, drop);
            first += drop;
        }
        if (own is null) return null;
        int mode = 0;
        for (int c = 1; c < counts.Count; c++)
            if (counts[c] > counts[mode]) mode = c;                             // strict: a tie keeps the smaller label
        return mode;
    }

    private void Count(int? label, int change)
    {
        if (label is not { } c) return;
        while (counts.Count <= c) counts.Add(0);
        counts[c] += change;
    }
}
