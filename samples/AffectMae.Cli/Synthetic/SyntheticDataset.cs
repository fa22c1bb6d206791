// Writes a synthetic data set in the real ABAW layout (AbawLayout): the three annotation sets through the Core
// writers, then the frames under cropped_aligned/<video>/{k:D5}.jpg, rendered by FaceRenderer. Videos are rendered in
// parallel (one renderer per worker); every frame's bytes depend only on the seed, the video index and the frame
// number, so the output is the same for any degree of parallelism.
using AffectMae.Core.Data;

namespace AffectMae.Cli.Synthetic;

/// <summary>What <see cref="SyntheticDataset.Generate"/> wrote.</summary>
/// <param name="Root">The data set root (full path).</param>
/// <param name="Videos">The plans of the videos written.</param>
/// <param name="ImagesWritten">Number of JPEG frames written.</param>
/// <param name="Labels">Label counts over all videos.</param>
internal sealed record SyntheticSummary(string Root, IReadOnlyList<SyntheticVideo> Videos, int ImagesWritten, LabelStatistics Labels);

/// <summary>Generates a deterministic synthetic Aff-Wild2-style data set.</summary>
internal static class SyntheticDataset
{
    private const int ProgressEveryFrames = 32;

    /// <summary>The folders a data set consists of; <c>overwrite</c> removes exactly these.</summary>
    public static IReadOnlyList<string> OwnedFolderNames { get; } =
    [
        AbawLayout.ValenceArousalFolderName, AbawLayout.ExpressionFolderName, AbawLayout.ActionUnitsFolderName, AbawLayout.FramesFolderName,
    ];

    /// <summary>Whether <paramref name="root"/> is missing or holds no file or folder.</summary>
    /// <param name="root">The output folder.</param>
    /// <returns><see langword="true"/> when generation may write there without overwriting.</returns>
    public static bool IsEmptyOrMissing(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        if (Directory.Exists(root)) return !Directory.EnumerateFileSystemEntries(root).Any();
        return !File.Exists(root);
    }

    /// <summary>Plans the data set and writes annotations and frames under <paramref name="root"/>.</summary>
    /// <param name="root">The output folder; created if needed.</param>
    /// <param name="options">Size and seed.</param>
    /// <param name="overwrite">
    /// Allow a non-empty folder: the folders of <see cref="OwnedFolderNames"/> are deleted first, anything else in it is left alone.
    /// </param>
    /// <param name="progress">Receives progress from the rendering workers (any thread), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run between frames.</param>
    /// <returns>The plans and label counts of what was written.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="IOException"><paramref name="root"/> is not empty and <paramref name="overwrite"/> is false, or is a file.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public static SyntheticSummary Generate(
        string root, SyntheticOptions options, bool overwrite = false,
        IProgress<SyntheticProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        if (File.Exists(root)) throw new IOException($"Output path '{root}' is a file; expected a folder.");
        if (!IsEmptyOrMissing(root))
        {
            if (!overwrite) throw new IOException($"Output folder '{root}' is not empty; choose an empty folder or allow overwriting.");
            foreach (string name in OwnedFolderNames)
            {
                string folder = Path.Combine(root, name);
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            }
        }

        var videos = SyntheticPlanner.Plan(options);
        Directory.CreateDirectory(root);
        var layout = new AbawLayout(root);
        foreach (var video in videos)
        {
            foreach (var task in AffectTasks.Each) layout.WriteAnnotation(video.Split, video.Annotation(task));
        }

        int totalFrames = videos.Sum(video => video.FrameCount);
        int framesDone = 0, videosDone = 0, imagesWritten = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, videos.Count, parallel, () => new FaceRenderer(options.Size, options.JpegQuality), (i, _, renderer) =>
        {
            var video = videos[i];
            Directory.CreateDirectory(layout.FramesFolder(video.Name));
            int pending = 0;
            for (int t = 0; t < video.FrameCount; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (video.HasImage(t))
                {
                    var face = AffectRules.Face(video.Latent[t]);
                    byte[] jpeg = renderer.RenderJpeg(face, video.Look, video.Scene[t], SeedMix.Mix(options.Seed, video.Index, t + 1));
                    File.WriteAllBytes(layout.FramePath(video.Name, t + 1), jpeg);
                    Interlocked.Increment(ref imagesWritten);
                }
                if (++pending == ProgressEveryFrames || t == video.FrameCount - 1)
                {
                    int done = Interlocked.Add(ref framesDone, pending);
                    int finished = t == video.FrameCount - 1 ? Interlocked.Increment(ref videosDone) : Volatile.Read(ref videosDone);
                    progress?.Report(new SyntheticProgress(done, totalFrames, finished, videos.Count));
                    pending = 0;
                }
            }
            return renderer;
        }, renderer => renderer.Dispose());

        return new SyntheticSummary(layout.Root, videos, imagesWritten, LabelStatistics.Of(videos));
    }
}
