// The expression smoothing of the authors' released EXPR/test.py (upczww/abaw6; no licence: facts only, our own code):
// each frame takes the most frequent label of the frames around it, scipy.stats.mode breaking ties.
namespace AffectMae.Core.Segmentation;

/// <summary>A mode (majority) filter over per-frame class labels.</summary>
public static class ModeFilter
{
    /// <summary>
    /// Frame i takes the most frequent label among frames i − ⌊k/2⌋ … i + ⌊k/2⌋ (clipped to the video), so the window
    /// holds 2·⌊k/2⌋ + 1 frames away from the ends; a tie goes to the smallest label, as <c>scipy.stats.mode</c> breaks
    /// it. k = 0 or 1 leaves the labels as they are. The authors smooth expressions with k = 40 (41-frame windows).
    /// </summary>
    /// <param name="labels">Class labels, each ≥ 0.</param>
    /// <param name="windowSize">k, ≥ 0.</param>
    /// <returns>The filtered labels, as many as given.</returns>
    /// <exception cref="ArgumentException">A label is negative, or k is negative.</exception>
    public static int[] Apply(ReadOnlySpan<int> labels, int windowSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowSize);
        int n = labels.Length, half = windowSize / 2, classes = 0;
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0)
                throw new ArgumentException($"Label {labels[i]} at frame {i} is negative; the mode filter takes class labels ≥ 0 (filter predictions, not annotations with −1).", nameof(labels));
            classes = Math.Max(classes, labels[i] + 1);
        }

        var counts = new int[classes];
        var filtered = new int[n];
        int low = 0, high = -1;                                                 // the frames counted: low … high
        for (int i = 0; i < n; i++)
        {
            int from = Math.Max(0, i - half), to = Math.Min(n - 1, i + half);
            while (high < to) counts[labels[++high]]++;
            while (low < from) counts[labels[low++]]--;
            int mode = 0;
            for (int c = 1; c < classes; c++)
                if (counts[c] > counts[mode]) mode = c;                         // strict: a tie keeps the smaller label
            filtered[i] = mode;
        }
        return filtered;
    }
}
