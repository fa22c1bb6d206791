// K-fold cross-validation by video (the paper reports 5 folds). Deterministic for a seed on every platform and .NET
// version: the videos are sorted ordinally, grouped, and the groups are shuffled by Fisher-Yates driven by
// new Random(seed), whose seeded sequence .NET keeps stable. A video never appears in two folds, and the two subjects
// of one recording (<name>_left and <name>_right) always land in the same fold, since they share scene and frames.
namespace AffectMae.Core.Data;

/// <summary>Seeded k-fold partitions of a video list, disjoint by video and by recording.</summary>
public static class VideoFolds
{
    /// <summary>The default number of folds, as reported in the paper.</summary>
    public const int DefaultFoldCount = 5;

    private static readonly string[] SubjectSuffixes = ["_left", "_right"];

    /// <summary>
    /// The recording a video belongs to: the name without a trailing <c>_left</c> or <c>_right</c> (exact, case-sensitive),
    /// e.g. <c>10-60-1280x720</c> for <c>10-60-1280x720_right</c>; other names are their own recording.
    /// </summary>
    /// <param name="video">The video name.</param>
    /// <returns>The group key.</returns>
    public static string RecordingOf(string video)
    {
        ArgumentException.ThrowIfNullOrEmpty(video);
        foreach (string suffix in SubjectSuffixes)
        {
            if (video.Length > suffix.Length && video.EndsWith(suffix, StringComparison.Ordinal))
                return video[..^suffix.Length];
        }
        return video;
    }

    /// <summary>
    /// Partitions <paramref name="videos"/> into <paramref name="foldCount"/> disjoint folds that together hold every video.
    /// </summary>
    /// <remarks>
    /// Videos are grouped by <see cref="RecordingOf"/>; the groups, in ordinal order of their keys, are shuffled by
    /// Fisher-Yates with <c>new Random(seed)</c>, then each group in turn goes to the fold holding the fewest videos so
    /// far (the lowest fold index on a tie), which keeps fold sizes within one recording of each other. The input order
    /// does not matter.
    /// </remarks>
    /// <param name="videos">The video names; each at most once.</param>
    /// <param name="foldCount">Number of folds k ≥ 2.</param>
    /// <param name="seed">Seed of the shuffle; the same seed gives the same folds.</param>
    /// <returns>k folds, each sorted ordinally.</returns>
    /// <exception cref="ArgumentException">A video given twice, or fewer recordings than folds (a fold would be empty).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="foldCount"/> is below 2.</exception>
    public static IReadOnlyList<IReadOnlyList<string>> Partition(IEnumerable<string> videos, int foldCount = DefaultFoldCount, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentOutOfRangeException.ThrowIfLessThan(foldCount, 2);
        var sorted = videos.ToList();
        sorted.Sort(StringComparer.Ordinal);
        for (int i = 1; i < sorted.Count; i++)
        {
            if (sorted[i] == sorted[i - 1])
                throw new ArgumentException($"Video {sorted[i]} is given twice; each video belongs to exactly one fold.", nameof(videos));
        }

        // Groups in ordinal key order; within a group the videos keep their sorted order.
        var groups = sorted.GroupBy(RecordingOf, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => group.ToList())
            .ToArray();
        if (groups.Length < foldCount)
            throw new ArgumentException(
                $"{groups.Length} recordings cannot fill {foldCount} folds; expected at least one recording per fold.", nameof(videos));

        var random = new Random(seed);
        for (int i = groups.Length - 1; i > 0; i--)   // Fisher-Yates: swap i with a uniform j in 0..i
        {
            int j = random.Next(i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }

        var folds = new List<string>[foldCount];
        for (int f = 0; f < foldCount; f++) folds[f] = [];
        foreach (var group in groups)
        {
            int smallest = 0;
            for (int f = 1; f < foldCount; f++)
            {
                if (folds[f].Count < folds[smallest].Count) smallest = f;
            }
            folds[smallest].AddRange(group);
        }
        foreach (var fold in folds) fold.Sort(StringComparer.Ordinal);
        return folds;
    }

    /// <summary>The k train/validation splits of k-fold cross-validation: split i validates on fold i and trains on the rest.</summary>
    /// <param name="videos">The video names; each at most once.</param>
    /// <param name="foldCount">Number of folds k ≥ 2.</param>
    /// <param name="seed">Seed of the shuffle, as for <see cref="Partition"/>.</param>
    /// <returns>k splits; the training lists are sorted ordinally.</returns>
    /// <exception cref="ArgumentException">As for <see cref="Partition"/>.</exception>
    public static IReadOnlyList<VideoSplit> Split(IEnumerable<string> videos, int foldCount = DefaultFoldCount, int seed = 0)
    {
        var folds = Partition(videos, foldCount, seed);
        var splits = new VideoSplit[folds.Count];
        for (int i = 0; i < folds.Count; i++)
        {
            var train = folds.Where((_, f) => f != i).SelectMany(fold => fold).ToList();
            train.Sort(StringComparer.Ordinal);
            splits[i] = new VideoSplit(train, folds[i]);
        }
        return splits;
    }
}
