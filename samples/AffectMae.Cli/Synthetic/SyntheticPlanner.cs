// Plans a whole synthetic data set without drawing a pixel: names, train/validation split, frame counts, latent and
// nuisance states, missing images and unlabelled runs. Every video draws from its own System.Random seeded by
// SeedMix.Mix(seed, videoIndex), and the split from SeedMix.Mix(seed, SeedMix.SplitStream), so a video's content
// does not depend on how many videos there are or on the order in which they are built.
using AffectMae.Core.Data;

namespace AffectMae.Cli.Synthetic;

/// <summary>Builds the <see cref="SyntheticVideo"/> plans of a data set.</summary>
internal static class SyntheticPlanner
{
    /// <summary>Prefix of every video name.</summary>
    public const string NamePrefix = "synth-";

    /// <summary>Probability that a video (other than the first, which always has them) has frames without an image.</summary>
    public const double MissingImageProbability = 0.3;

    /// <summary>Probability that a video (other than the first, which always has one) has a run unlabelled in all three files.</summary>
    public const double SharedUnlabelledProbability = 0.3;

    /// <summary>Probability that a video has, in addition, a run unlabelled in one task's file only (drawn per task).</summary>
    public const double TaskUnlabelledProbability = 0.25;

    /// <summary>
    /// The video names: <c>synth-000</c>, <c>synth-001</c>, …; with 3 or more videos the last two are one recording with
    /// two subjects, <c>synth-{n−2}_left</c> and <c>synth-{n−2}_right</c>.
    /// </summary>
    /// <param name="videos">Number of videos.</param>
    /// <returns>The names in video-index order.</returns>
    public static IReadOnlyList<string> VideoNames(int videos)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(videos);
        var names = new string[videos];
        for (int i = 0; i < videos; i++) names[i] = $"{NamePrefix}{i:D3}";
        if (videos >= 3)
        {
            names[videos - 2] = $"{NamePrefix}{videos - 2:D3}_left";
            names[videos - 1] = $"{NamePrefix}{videos - 2:D3}_right";
        }
        return names;
    }

    /// <summary>
    /// Assigns recordings to splits: recordings (see <see cref="VideoFolds.RecordingOf"/>) are shuffled with the split
    /// stream and round(fraction × recordings) of them, at least 1 and at most all but one, go to validation.
    /// </summary>
    /// <param name="names">The video names.</param>
    /// <param name="seed">The global seed.</param>
    /// <param name="validationFraction">Fraction of recordings for validation.</param>
    /// <returns>The split of each video, in the order of <paramref name="names"/>.</returns>
    public static AbawSplit[] AssignSplits(IReadOnlyList<string> names, int seed, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(names);
        var recordings = names.Select(VideoFolds.RecordingOf).Distinct(StringComparer.Ordinal).ToArray();
        var random = new Random(SeedMix.Mix(seed, SeedMix.SplitStream));
        for (int i = recordings.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (recordings[i], recordings[j]) = (recordings[j], recordings[i]);
        }
        int validation = recordings.Length < 2 || validationFraction <= 0
            ? 0
            : Math.Clamp((int)Math.Round(recordings.Length * validationFraction), 1, recordings.Length - 1);
        var validationSet = recordings.Take(validation).ToHashSet(StringComparer.Ordinal);
        return [.. names.Select(name => validationSet.Contains(VideoFolds.RecordingOf(name)) ? AbawSplit.Validation : AbawSplit.Train)];
    }

    /// <summary>Plans every video of a data set.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The plans in video-index order.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IReadOnlyList<SyntheticVideo> Plan(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var names = VideoNames(options.Videos);
        var splits = AssignSplits(names, options.Seed, options.ValidationFraction);
        var videos = new SyntheticVideo[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            bool isRightSubject = names[i].EndsWith("_right", StringComparison.Ordinal);
            int? sharedLength = isRightSubject ? videos[i - 1].FrameCount : null;   // both subjects share the recording's frames
            videos[i] = PlanVideo(i, names[i], splits[i], options, sharedLength);
        }
        return videos;
    }

    private static SyntheticVideo PlanVideo(int index, string name, AbawSplit split, SyntheticOptions options, int? sharedLength)
    {
        var random = new Random(SeedMix.Mix(options.Seed, index));
        int drawn = random.Next(options.MinFrames, options.MaxFrames + 1);
        int n = sharedLength ?? drawn;
        var latent = LatentTrajectory.Generate(random, n);
        var look = SceneTrajectory.DrawAppearance(random);
        var scene = SceneTrajectory.Generate(random, n);

        var missing = new List<FrameRun>();
        if (index == 0 || random.NextDouble() < MissingImageProbability)
        {
            int runs = random.Next(1, 3);
            for (int r = 0; r < runs; r++) missing.Add(Run(random, n, random.Next(1, 5)));
        }

        FrameRun? shared = index == 0 || random.NextDouble() < SharedUnlabelledProbability ? Run(random, n, random.Next(5, 31)) : null;
        var perTask = new List<FrameRun>[3];
        for (int task = 0; task < perTask.Length; task++)
        {
            perTask[task] = shared is { } run ? [run] : [];
            if (random.NextDouble() < TaskUnlabelledProbability) perTask[task].Add(Run(random, n, random.Next(5, 31)));
        }
        Blinks.Apply(random, latent, scene);   // drawn last, so the streams of everything above stay as they were
        return new SyntheticVideo(index, name, split, latent, scene, look, missing, perTask[0], perTask[1], perTask[2]);
    }

    /// <summary>A run of <paramref name="length"/> frames (at most a quarter of the video) at a uniform start.</summary>
    private static FrameRun Run(Random random, int frameCount, int length)
    {
        length = Math.Clamp(length, 1, Math.Max(1, frameCount / 4));
        return new FrameRun(random.Next(0, frameCount - length + 1), length);
    }
}
